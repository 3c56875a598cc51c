package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;

/**
 * A content-addressed artifact store: {@code root/ab/abcdef...} holds the bytes whose SHA-256 is
 * {@code abcdef...}. Copies are written to a temp file and renamed, so a half-copied artifact never
 * has a name.
 */
public final class FileArtifactStore implements ArtifactStore {
    /** Artifacts stored less than this long ago are never pruned. */
    static final java.time.Duration GRACE = java.time.Duration.ofHours(1);

    private final Path root;

    /**
     * Creates a store.
     *
     * @param root
     *         its directory (created on first use)
     */
    public FileArtifactStore(final Path root) {
        this.root = root;
    }

    /**
     * Copies a file into the store.
     *
     * @param file
     *         the artifact
     * @return its reference (name, hash, size, location in the store)
     * @throws GuardException
     *         if the file cannot be read or the store written
     */
    public ArtifactRef put(final Path file) {
        try {
            Files.createDirectories(root);
            Path temp = Files.createTempFile(root, "incoming-", ".tmp");
            MessageDigest digest = sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest);
                 OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(out);
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            Path target = path(sha);
            Files.createDirectories(target.getParent());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new ArtifactRef(file.getFileName().toString(), sha, Files.size(target), target.toString());
        }
        catch (IOException e) {
            throw new GuardException("artifact: cannot store '%s': %s".formatted(file, e.getMessage()), e);
        }
    }

    @Override
    public boolean contains(final ArtifactRef artifact) {
        Path path = path(artifact.sha256());
        try {
            return Files.isRegularFile(path) && Files.size(path) == artifact.size();
        }
        catch (IOException e) {
            return false;
        }
    }

    @Override
    public Optional<Path> locate(final ArtifactRef artifact) {
        return contains(artifact) ? Optional.of(path(artifact.sha256())) : Optional.empty();
    }

    @Override
    public int prune(final Set<String> keep) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> files = Files.walk(root, 2)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                // Young files may belong to a deploy that stored its artifact and waits for the environment's lock.
                boolean young = Files.getLastModifiedTime(file).toInstant().isAfter(java.time.Instant.now().minus(GRACE));
                if (name.length() == 64 && !keep.contains(name) && !young) {
                    Files.deleteIfExists(file);
                    deleted++;
                }
            }
        }
        catch (IOException e) {
            throw new GuardException("artifact store %s: cannot prune: %s".formatted(root, e.getMessage()), e);
        }
        return deleted;
    }

    private Path path(final String sha) {
        return root.resolve(sha.substring(0, 2)).resolve(sha);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
