package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.Optional;
import java.util.Set;

import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;

/**
 * Keeps the artifacts of rollback points so that a revert redeploys exactly the bytes that were good.
 * The CLI keeps content-addressed copies ({@link FileArtifactStore}); Jenkins uses the builds'
 * archived artifacts.
 */
public interface ArtifactStore {
    /**
     * Tells whether an artifact can still be fetched.
     *
     * @param artifact
     *         the artifact
     * @return whether it is present with the right content
     */
    boolean contains(ArtifactRef artifact);

    /**
     * Returns where an artifact can be read, if the host can say.
     *
     * @param artifact
     *         the artifact
     * @return a local path, or empty
     */
    Optional<java.nio.file.Path> locate(ArtifactRef artifact);

    /**
     * Deletes artifacts no longer needed.
     *
     * @param keep
     *         the SHA-256 of every artifact still referenced by a point worth keeping
     * @return how many were deleted
     */
    int prune(Set<String> keep);
}
