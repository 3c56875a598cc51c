package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads a tar.gz archive entry by entry, refusing unsafe names before the caller sees them, and hashes the
 * archive file itself on the way.
 */
final class TarGzReader {
    private TarGzReader() {
        // static helpers only
    }

    /** Receives each entry with its content stream positioned at the entry's data. */
    @FunctionalInterface
    interface EntryHandler {
        void accept(TarArchiveEntry entry, InputStream content) throws IOException;
    }

    /**
     * Reads every entry.
     *
     * @param archive
     *         the tar.gz file
     * @param handler
     *         called per entry
     * @return the archive's sha256
     * @throws IOException
     *         if the archive cannot be read
     * @throws BackupException
     *         if an entry is unsafe: absolute, with a {@code ..} segment, a hard link or a device
     */
    static String read(final Path archive, final EntryHandler handler) throws IOException {
        return read(archive, handler, Long.MAX_VALUE);
    }

    /**
     * Reads every entry, stopping once the expanded stream passes a limit (a small archive can expand to fill a
     * disk).
     *
     * @param archive
     *         the tar.gz file
     * @param handler
     *         called per entry
     * @param maxExpanded
     *         the most bytes the tar stream may expand to
     * @return the archive's sha256
     * @throws IOException
     *         if the archive cannot be read
     * @throws BackupException
     *         if an entry is unsafe, or the archive expands past the limit
     */
    static String read(final Path archive, final EntryHandler handler, final long maxExpanded) throws IOException {
        MessageDigest digest = Hashing.sha256();
        // The digest sits below the buffer: gzip marks and resets its input, which must not hash bytes twice.
        try (InputStream raw = new BufferedInputStream(new DigestInputStream(Files.newInputStream(archive), digest),
                1 << 20);
                GzipCompressorInputStream gzip = GzipCompressorInputStream.builder().setInputStream(raw)
                        .setDecompressConcatenated(true).get();
                TarArchiveInputStream tar = new TarArchiveInputStream(new TreeExtractor.Capped(gzip, maxExpanded),
                        StandardCharsets.UTF_8.name())) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                check(entry);
                handler.accept(entry, tar);
            }
            raw.transferTo(OutputStream.nullOutputStream()); // the tar end blocks may leave gzip bytes unread
        }
        return Hashing.hex(digest);
    }

    private static void check(final TarArchiveEntry entry) {
        String name = entry.getName();
        if (!SafePaths.entryIsSafe(name)) {
            throw new BackupException("Refusing archive entry '%s': absolute or contains '..'".formatted(name));
        }
        if (entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            throw new BackupException("Refusing archive entry '%s': hard links and devices are not restored"
                    .formatted(name));
        }
        if (entry.isSymbolicLink() && !SafePaths.linkStaysInside(Path.of(stripSlash(name)), entry.getLinkName())) {
            throw new BackupException("Refusing symbolic link '%s' -> '%s': it points outside the target"
                    .formatted(name, entry.getLinkName()));
        }
    }

    static String stripSlash(final String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }
}
