package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a tree as tar.gz and returns the sha256 of every file. The calling thread reads and hashes each
 * file once, feeding the same bytes to the tar stream; {@link ParallelGzipOutputStream} compresses on the
 * other cores meanwhile, so hashing costs no extra pass.
 */
final class TarGzArchiver {
    private static final int BUFFER = 1 << 20;

    private final Path root;
    private final int level;
    private final int threads;

    TarGzArchiver(final Path root, final int level, final int threads) {
        this.root = root;
        this.level = level;
        this.threads = threads;
    }

    /** What was written: the file entries and the archive's own hash and size. */
    record Result(List<FileEntry> entries, String sha256, long size) {
    }

    Result write(final List<FileTreeScanner.Item> items, final Path archive) throws IOException {
        List<FileEntry> entries = new ArrayList<>(items.size());
        Hashing.HashingOutputStream hashing = new Hashing.HashingOutputStream(
                new BufferedOutputStream(Files.newOutputStream(archive), BUFFER));
        ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(hashing, level, threads);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            byte[] buffer = new byte[BUFFER];
            for (FileTreeScanner.Item item : items) {
                entries.add(writeItem(tar, item, buffer));
            }
            tar.finish();
        }
        catch (IOException | RuntimeException e) {
            gzip.abort();
            hashing.close();
            throw e;
        }
        return new Result(entries, hashing.hex(), hashing.count());
    }

    private FileEntry writeItem(final TarArchiveOutputStream tar, final FileTreeScanner.Item item,
            final byte[] buffer) throws IOException {
        Path source = root.resolve(item.relative());
        switch (item.type()) {
            case FileEntry.DIR -> {
                TarArchiveEntry entry = new TarArchiveEntry(item.name() + "/");
                entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 | item.mode());
                entry.setModTime(Files.getLastModifiedTime(source, LinkOption.NOFOLLOW_LINKS));
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
                return new FileEntry(item.name(), FileEntry.DIR, 0, item.mode(), "", "");
            }
            case FileEntry.LINK -> {
                TarArchiveEntry entry = new TarArchiveEntry(item.name(), TarConstants.LF_SYMLINK);
                entry.setLinkName(item.target());
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
                return new FileEntry(item.name(), FileEntry.LINK, 0, 0777, "", item.target());
            }
            default -> {
                return writeFile(tar, item, source, buffer);
            }
        }
    }

    private FileEntry writeFile(final TarArchiveOutputStream tar, final FileTreeScanner.Item item, final Path source,
            final byte[] buffer) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(item.name());
        entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | item.mode());
        entry.setSize(item.size());
        entry.setModTime(Files.getLastModifiedTime(source, LinkOption.NOFOLLOW_LINKS));
        tar.putArchiveEntry(entry);
        MessageDigest digest = Hashing.sha256();
        long left = item.size();
        try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new BackupException("File '%s' shrank while it was being backed up".formatted(item.name()));
                }
                digest.update(buffer, 0, n);
                tar.write(buffer, 0, n);
                left -= n;
            }
        }
        tar.closeArchiveEntry();
        // A file that grows meanwhile is archived up to the size it had when listed; the hash matches the archive.
        return new FileEntry(item.name(), FileEntry.FILE, item.size(), item.mode(), Hashing.hex(digest), "");
    }
}
