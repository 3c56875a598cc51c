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

    /**
     * Returns the directory that keeps a point's own files (the tail of its deploy output, the evidence of its trip),
     * if this host keeps them beside its artifacts. The directory may not exist yet.
     *
     * @param pointId
     *         the point of this store's environment
     * @return the directory, or empty when the host keeps them elsewhere (a Jenkins build's log)
     */
    default Optional<java.nio.file.Path> pointFiles(final long pointId) {
        return Optional.empty();
    }

    /**
     * Deletes the files of points no longer kept; those of a point that holds the evidence of a trip stay as long as
     * the point.
     *
     * @param keep
     *         the ids of the points whose files are kept (those whose artifacts are kept)
     * @return how many points' files were deleted
     */
    default int prunePoints(final Set<Long> keep) {
        return 0;
    }
}
