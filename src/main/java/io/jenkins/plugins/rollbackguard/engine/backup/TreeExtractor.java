package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Extracts a tar.gz into a fresh, empty directory, in three passes, so that a hostile archive creates nothing:
 * <ol>
 *     <li>the archive file's sha256 is checked against the manifest's before anything is expanded;</li>
 *     <li>its entries are read without writing: unsafe names and types are refused by {@link TarGzReader}, the
 *     links by {@link TreeLinks} (the rule the backup side applied), and the expanded size is capped at what the
 *     file manifest records, so a small bomb cannot fill the disk;</li>
 *     <li>then it is written: every directory is created by a walk from the target that follows no link, files are
 *     created new without following links, links come last, and the bytes written stay under the cap.</li>
 * </ol>
 * The archive is hashed again while it is written, so one swapped between the passes is refused too.
 * Set-uid, set-gid and sticky bits are dropped; ownership is left to the restoring user.
 */
final class TreeExtractor {
    /** Room for tar headers, long-name extensions and padding on top of the files' bytes, per entry. */
    private static final long HEADER_ROOM = 4096;
    /** Room for the end-of-archive blocks and the last record's padding. */
    private static final long TRAILER_ROOM = 64 * 1024;

    private final Path target;
    private final List<TarArchiveEntry> links = new ArrayList<>();
    private final Map<Path, FileTime> directoryTimes = new LinkedHashMap<>();
    private final Map<Path, Integer> directoryModes = new LinkedHashMap<>();

    TreeExtractor(final Path target) {
        this.target = target;
    }

    /**
     * Extracts an archive.
     *
     * @param archive
     *         the tar.gz file
     * @param expectedSha256
     *         the archive's sha256 as the manifest records it
     * @param maxBytes
     *         the expanded size of the files as the file manifest records it: more is refused
     * @param maxEntries
     *         the number of entries the file manifest records: more is refused
     * @throws BackupException
     *         if the archive's hash differs, an entry or link is unsafe, or it expands to more than recorded
     */
    void extract(final Path archive, final String expectedSha256, final long maxBytes, final int maxEntries)
            throws IOException {
        String sha = Hashing.sha256(archive);
        if (!sha.equals(expectedSha256)) {
            throw new BackupException("Archive sha256 is %s, the manifest says %s: nothing was restored"
                    .formatted(sha, expectedSha256));
        }
        long expandedCap = maxBytes + HEADER_ROOM * (maxEntries + 1L) + TRAILER_ROOM;
        check(archive, maxBytes, maxEntries, expandedCap);
        Files.createDirectories(target);
        Budget budget = new Budget(maxBytes);
        String written = TarGzReader.read(archive, (entry, content) -> write(entry, content, budget), expandedCap);
        if (!written.equals(expectedSha256)) {
            throw new BackupException("The archive changed while it was restored (sha256 %s, expected %s)"
                    .formatted(written, expectedSha256));
        }
        for (TarArchiveEntry link : links) {
            Path path = resolve(link.getName());
            createParents(path);
            Files.createSymbolicLink(path, Path.of(link.getLinkName()));
        }
        for (Map.Entry<Path, Integer> dir : directoryModes.entrySet()) {
            Files.setPosixFilePermissions(dir.getKey(), permissions(dir.getValue()));
        }
        for (Map.Entry<Path, FileTime> dir : directoryTimes.entrySet()) {
            Files.setLastModifiedTime(dir.getKey(), dir.getValue());
        }
    }

    /** Reads the entries without writing anything: names, types, links and the expanded size. */
    private static void check(final Path archive, final long maxBytes, final int maxEntries, final long expandedCap)
            throws IOException {
        TreeLinks tree = new TreeLinks();
        long[] total = new long[2]; // files' bytes, entries
        TarGzReader.read(archive, (entry, content) -> {
            total[0] += Math.max(0, entry.getSize());
            total[1]++;
            if (total[0] > maxBytes || total[1] > maxEntries) {
                throw new BackupException(("The archive holds more than the %d bytes in %d entries its file manifest "
                        + "records: refused before writing anything").formatted(maxBytes, maxEntries));
            }
            tree.add(TarGzReader.stripSlash(entry.getName()), entry.isSymbolicLink() ? entry.getLinkName() : null);
        }, expandedCap);
        tree.firstProblem().ifPresent(problem -> {
            throw new BackupException("Refusing the archive: " + problem + "; nothing was restored");
        });
    }

    private void write(final TarArchiveEntry entry, final InputStream content, final Budget budget)
            throws IOException {
        Path path = resolve(entry.getName());
        if (entry.isSymbolicLink()) {
            links.add(entry);
        }
        else if (entry.isDirectory()) {
            createParents(path);
            createDirectory(path);
            directoryModes.put(path, entry.getMode());
            directoryTimes.put(path, entry.getLastModifiedTime());
        }
        else {
            createParents(path);
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                budget.copy(content, out);
            }
            catch (FileAlreadyExistsException e) {
                throw new BackupException("Refusing archive entry '%s': it appears twice".formatted(entry.getName()));
            }
            Files.setPosixFilePermissions(path, permissions(entry.getMode()));
            Files.setLastModifiedTime(path, entry.getLastModifiedTime());
        }
    }

    /** Creates the parents of a path one name at a time from the target, following no link. */
    private void createParents(final Path path) throws IOException {
        Path current = target;
        for (Path name : target.relativize(path.getParent() == null ? target : path.getParent())) {
            if (name.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(name);
            createDirectory(current);
        }
    }

    private static void createDirectory(final Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new BackupException("Refusing to create %s: a symbolic link stands in its way".formatted(dir));
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir); // fails if a file stands there: nothing is followed or replaced
        }
    }

    private Path resolve(final String name) {
        Path path = target.resolve(TarGzReader.stripSlash(name)).normalize();
        if (!path.startsWith(target) || path.equals(target)) {
            throw new BackupException("Refusing archive entry '%s': it resolves outside the target".formatted(name));
        }
        return path;
    }

    static Set<PosixFilePermission> permissions(final int mode) {
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission permission : PosixFilePermission.values()) {
            if ((mode & 1 << (8 - permission.ordinal())) != 0) {
                result.add(permission);
            }
        }
        return result;
    }

    /** Caps the bytes written by all files together. */
    private static final class Budget {
        private long left;

        Budget(final long maxBytes) {
            this.left = maxBytes;
        }

        void copy(final InputStream in, final OutputStream out) throws IOException {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                left -= n;
                if (left < 0) {
                    throw new BackupException("The archive expands to more than its file manifest records; restore stopped");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    /** Counts the bytes read through it and stops past a limit. */
    static final class Capped extends FilterInputStream {
        private long left;

        Capped(final InputStream in, final long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                take(1);
            }
            return b;
        }

        @Override
        public int read(final byte[] b, final int off, final int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                take(n);
            }
            return n;
        }

        private void take(final long n) {
            left -= n;
            if (left < 0) {
                throw new BackupException("The archive expands to more than its file manifest records: refused");
            }
        }
    }
}
