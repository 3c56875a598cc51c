package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;

/** Files and directories: tar.gz plus {@code files.json}, the sha256 of every file. */
final class FilesKind implements KindHandler {
    static final String ARCHIVE = "archive.tar.gz";
    static final String FILE_MANIFEST = "files.json";

    @Override
    public Payload create(final BackupSpec spec, final Path dir, final BackupContext ctx) throws IOException {
        FilesBackupSpec files = (FilesBackupSpec) spec;
        List<FileTreeScanner.Item> items = new FileTreeScanner(files).scan();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        TarGzArchiver.Result result = new TarGzArchiver(Path.of(files.path()), files.compressionLevel(), threads)
                .write(items, dir.resolve(ARCHIVE));
        Json.MAPPER.writeValue(dir.resolve(FILE_MANIFEST).toFile(), result.entries());
        ctx.listener().info("Archived %d entries of %s".formatted(items.size(), files.path()));
        return new Payload(ARCHIVE, result.sha256(), result.size(), FILE_MANIFEST, Map.of());
    }

    @Override
    public String verify(final BackupManifest manifest, final Path dir, final BackupContext ctx) throws IOException {
        Map<String, FileEntry> expected = readEntries(dir);
        Map<String, String> seen = new HashMap<>();
        String sha = TarGzReader.read(dir.resolve(manifest.payload()), (entry, content) -> {
            if (entry.isFile()) {
                seen.put(entry.getName(), hash(content));
            }
        });
        if (!sha.equals(manifest.sha256())) {
            throw new BackupException("Archive sha256 is %s, the manifest says %s".formatted(sha, manifest.sha256()));
        }
        List<String> bad = new ArrayList<>();
        long bytes = 0;
        for (FileEntry entry : expected.values()) {
            if (FileEntry.FILE.equals(entry.type()) && !entry.sha256().equals(seen.get(entry.path()))) {
                bad.add(entry.path());
            }
            bytes += entry.size();
        }
        if (!bad.isEmpty()) {
            throw new BackupException("%d files differ from the manifest, first: %s".formatted(bad.size(), bad.get(0)));
        }
        return "archive sha256 and %d file hashes match (%d bytes)".formatted(seen.size(), bytes);
    }

    @Override
    public void restore(final BackupManifest manifest, final Path dir, final RestoreTarget target,
            final BackupContext ctx) throws IOException {
        Map<String, FileEntry> entries = readEntries(dir);
        long bytes = entries.values().stream().mapToLong(entry -> Math.max(0, entry.size())).sum();
        InPlaceRestore.Extraction extraction = prepared -> new TreeExtractor(prepared).extract(
                dir.resolve(manifest.payload()), manifest.sha256(), bytes, entries.size());
        if (target.mode() == RestoreTarget.Mode.ORIGINAL) {
            FilesBackupSpec spec = (FilesBackupSpec) manifest.spec();
            new InPlaceRestore(Path.of(spec.path()), StoreLayout.rootOf(dir), ctx.listener())
                    .restore(manifest.id(), spec.include(), spec.exclude(), extraction);
            return;
        }
        Path destination = destination(manifest, target);
        Path prepared = DirectorySwap.sibling(destination, "restore");
        try {
            extraction.extractInto(prepared);
            DirectorySwap.replace(prepared, destination);
        }
        finally {
            DirectorySwap.deleteTree(prepared);
        }
        ctx.listener().info("Restored %s into %s".formatted(manifest.id(), destination));
    }

    private static Path destination(final BackupManifest manifest, final RestoreTarget target) throws IOException {
        return switch (target.mode()) {
            case ORIGINAL -> Path.of(((FilesBackupSpec) manifest.spec()).path());
            case DIRECTORY -> {
                Path path = Path.of(target.name());
                if (!DirectorySwap.isEmptyOrAbsent(path)) {
                    throw new BackupException("Restore target %s is not an empty directory".formatted(path));
                }
                yield path;
            }
            case SCRATCH_DATABASE -> throw new IllegalArgumentException(
                    "target: a files backup restores to a directory, not to database '%s'".formatted(target.name()));
        };
    }

    @Override
    public RestoreTestResult restoreTest(final BackupManifest manifest, final Path dir, final RestoreTarget scratch,
            final BackupContext ctx) throws IOException {
        restore(manifest, dir, scratch, ctx);
        Path root = Path.of(scratch.name());
        List<String> mismatches = new ArrayList<>();
        Map<String, FileEntry> expected = readEntries(dir);
        for (FileEntry entry : expected.values()) {
            String problem = compare(root.resolve(entry.path()), entry);
            if (problem != null) {
                mismatches.add(entry.path() + ": " + problem);
            }
        }
        return new RestoreTestResult(mismatches.isEmpty(), expected.size(), mismatches,
                "%d of %d entries restored identically into %s".formatted(
                        expected.size() - mismatches.size(), expected.size(), root));
    }

    private static String compare(final Path path, final FileEntry entry) throws IOException {
        return switch (entry.type()) {
            case FileEntry.DIR -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? null : "directory missing";
            case FileEntry.LINK -> Files.isSymbolicLink(path)
                    && Files.readSymbolicLink(path).toString().equals(entry.target()) ? null : "link differs";
            default -> {
                if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    yield "file missing";
                }
                String sha = Hashing.sha256(path);
                yield sha.equals(entry.sha256()) ? null : "sha256 " + sha + " expected " + entry.sha256();
            }
        };
    }

    static Map<String, FileEntry> readEntries(final Path dir) throws IOException {
        List<FileEntry> entries = Json.MAPPER.readValue(dir.resolve(FILE_MANIFEST).toFile(), new TypeReference<>() { });
        Map<String, FileEntry> byPath = new HashMap<>();
        entries.forEach(entry -> byPath.put(entry.path(), entry));
        return byPath;
    }

    private static String hash(final java.io.InputStream content) throws IOException {
        var digest = Hashing.sha256();
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = content.read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
        }
        return Hashing.hex(digest);
    }
}
