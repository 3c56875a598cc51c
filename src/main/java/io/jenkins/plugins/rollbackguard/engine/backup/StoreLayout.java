package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reading and cleaning the directories of a {@link BackupStore}. */
final class StoreLayout {
    private StoreLayout() {
        // static helpers only
    }

    /** @return the store's root, from the directory of one of its backups ({@code <root>/<environment>/<id>}) */
    static Path rootOf(final Path backupDir) {
        return backupDir.toAbsolutePath().getParent().getParent();
    }

    static void cleanIncomplete(final Path envDir, final Pattern id) {
        if (!Files.isDirectory(envDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(envDir)) {
            dirs.filter(dir -> isIncomplete(dir, id) && !AtomicFiles.inProgress(dir)).forEach(StoreLayout::deleteQuietly);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot clean " + envDir, e);
        }
    }

    static boolean isIncomplete(final Path dir, final Pattern id) {
        String name = dir.getFileName().toString();
        return name.endsWith(BackupStore.PARTIAL)
                || id.matcher(name).matches() && !Files.exists(dir.resolve(BackupStore.MANIFEST));
    }

    static Optional<BackupManifest> read(final Path dir) {
        Path file = dir.resolve(BackupStore.MANIFEST);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty(); // never committed: not a backup
        }
        BackupManifest manifest;
        try {
            manifest = Json.MAPPER.readValue(file.toFile(), BackupManifest.class);
        }
        catch (IOException e) {
            return Optional.empty();
        }
        // a manifest speaks only for the directory it is in: a copied or forged one naming another is no backup here
        boolean here = manifest.id().equals(dir.getFileName().toString())
                && dir.getParent() != null && manifest.environment().equals(dir.getParent().getFileName().toString());
        return here ? Optional.of(manifest) : Optional.empty();
    }

    /**
     * Checks that the files a manifest names are plain files of the backup's own directory.
     *
     * @param manifest
     *         the manifest
     * @throws BackupException
     *         naming the entry that points elsewhere
     */
    static void requireOwnFiles(final BackupManifest manifest) {
        for (String name : new String[] {manifest.payload(), manifest.fileManifest()}) {
            if (name != null && (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".")
                    || name.equals("..") || name.contains("\0"))) {
                throw new BackupException(("Backup %s's manifest names the file '%s', which is not a file of the "
                        + "backup's own directory: refused").formatted(manifest.id(), name));
            }
        }
    }

    static void deleteQuietly(final Path dir) {
        try {
            DirectorySwap.deleteTree(dir);
        }
        catch (IOException e) {
            // Left for the next prune: an incomplete directory is never listed.
        }
    }
}
