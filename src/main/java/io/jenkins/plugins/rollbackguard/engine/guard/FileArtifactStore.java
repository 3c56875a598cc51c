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
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;

/**
 * A content-addressed artifact store: {@code root/<sha256>/<original name>} holds the bytes whose SHA-256 is
 * {@code <sha256>}, under the name they were deployed with, so that a deploy script that looks at its artifact's
 * name or extension ({@code shop-2.4.war}) sees it. Stores written before kept {@code root/ab/abcdef...} (no name);
 * those artifacts are still found where they are. Copies are written to a temp file and renamed, so a half-copied
 * artifact never has a name. A point's own files (its deploy output, the evidence of a trip) are kept in
 * {@code root/points/<id>/}.
 */
public final class FileArtifactStore implements ArtifactStore {
    /** Artifacts stored less than this long ago are never pruned. */
    static final java.time.Duration GRACE = java.time.Duration.ofHours(1);
    /** The directory of the points' own files. */
    static final String POINTS = "points";
    /** A point's directory that holds this keeps its files as long as the point. */
    public static final String EVIDENCE = "evidence";
    /** The last 64 KiB of a point's deploy output, in the point's directory. */
    public static final String DEPLOY_OUTPUT = "deploy-output.log";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

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
            try {
                MessageDigest digest = sha256();
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest);
                     OutputStream out = Files.newOutputStream(temp)) {
                    in.transferTo(out);
                }
                String sha = HexFormat.of().formatHex(digest.digest());
                String name = safeName(file.getFileName() == null ? null : file.getFileName().toString());
                Path target = path(sha, name);
                Files.createDirectories(target.getParent());
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return new ArtifactRef(name, sha, Files.size(target), target.toString());
            }
            finally {
                Files.deleteIfExists(temp);
            }
        }
        catch (IOException e) {
            throw new GuardException("artifact: cannot store '%s': %s".formatted(file, e.getMessage()), e);
        }
    }

    @Override
    public boolean contains(final ArtifactRef artifact) {
        return find(artifact).isPresent();
    }

    @Override
    public Optional<Path> locate(final ArtifactRef artifact) {
        return find(artifact);
    }

    /** The named copy first, then the flat copy of a store written before names were kept. */
    private Optional<Path> find(final ArtifactRef artifact) {
        for (Path candidate : new Path[] {path(artifact.sha256(), safeName(artifact.name())), flatPath(artifact.sha256())}) {
            try {
                if (Files.isRegularFile(candidate) && Files.size(candidate) == artifact.size()) {
                    return Optional.of(candidate);
                }
            }
            catch (IOException e) {
                // unreadable: try the other layout
            }
        }
        return Optional.empty();
    }

    @Override
    public int prune(final Set<String> keep) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (SHA256.matcher(name).matches() && Files.isDirectory(entry)) { // root/<sha>/<name>
                    if (!keep.contains(name) && !young(entry)) {
                        deleteTree(entry);
                        deleted++;
                    }
                }
                else if (name.length() == 2 && Files.isDirectory(entry)) { // the flat layout: root/ab/<sha>
                    try (Stream<Path> files = Files.list(entry)) {
                        for (Path file : files.toList()) {
                            String sha = file.getFileName().toString();
                            if (SHA256.matcher(sha).matches() && Files.isRegularFile(file) && !keep.contains(sha)
                                    && !young(file)) {
                                Files.deleteIfExists(file);
                                deleted++;
                            }
                        }
                    }
                }
            }
        }
        catch (IOException e) {
            throw new GuardException("artifact store %s: cannot prune: %s".formatted(root, e.getMessage()), e);
        }
        return deleted;
    }

    @Override
    public Optional<Path> pointFiles(final long pointId) {
        return Optional.of(root.resolve(POINTS).resolve(Long.toString(pointId)));
    }

    @Override
    public int prunePoints(final Set<Long> keep) {
        Path points = root.resolve(POINTS);
        if (!Files.isDirectory(points)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> entries = Files.list(points)) {
            for (Path dir : entries.toList()) {
                long id;
                try {
                    id = Long.parseLong(dir.getFileName().toString());
                }
                catch (NumberFormatException e) {
                    continue; // not a point's directory: not ours to delete
                }
                // the evidence of a trip stays as long as its point; young files may be a deploy's that is running
                if (!keep.contains(id) && !Files.isDirectory(dir.resolve(EVIDENCE)) && !young(dir)) {
                    deleteTree(dir);
                    deleted++;
                }
            }
        }
        catch (IOException e) {
            throw new GuardException("artifact store %s: cannot prune the points' files: %s".formatted(root,
                    e.getMessage()), e);
        }
        return deleted;
    }

    private static boolean young(final Path path) throws IOException {
        return Files.getLastModifiedTime(path).toInstant().isAfter(Instant.now().minus(GRACE));
    }

    private static void deleteTree(final Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** A file name that stays inside its directory: the artifact's own name, or {@code artifact} if it has none. */
    static String safeName(final String name) {
        if (name == null || name.isBlank() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            return "artifact";
        }
        return name;
    }

    private Path path(final String sha, final String name) {
        return root.resolve(sha).resolve(name);
    }

    private Path flatPath(final String sha) {
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
