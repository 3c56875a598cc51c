package io.jenkins.plugins.rollbackguard.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * In-place restores of a directory that is a mount point (a real tmpfs), which cannot be renamed: the restore
 * prepares the tree inside it and swaps its top-level entries, and says so; later backups leave its entries out.
 */
class FilesBackupMountTest {
    private static final List<String> EXCLUDE = List.of("cache", "**.tmp");

    @TempDir
    private Path temp;

    @Test
    void shouldRestoreInsideAMountPointAndLeaveItsEntriesOutOfLaterBackups() throws Exception {
        try (TmpfsMount mount = TmpfsMount.on(temp.resolve("data"), "16m")) {
            Path data = mount.dir();
            BackupStore store = new BackupStore(temp.resolve("store"));
            Map<String, String> restored = prepare(data);
            BackupManifest manifest = store.take("prod", spec(data), TestContexts.create(Map.of()));
            change(data);
            List<String> lines = new ArrayList<>();

            store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), TestContexts.recording(lines));

            assertThat(describeWithoutRestoreEntries(data)).isEqualTo(restored);
            List<Path> own = restoreEntries(data);
            assertThat(own).singleElement().asString().contains("/.rg-replaced-");
            assertThat(own.get(0).resolve("added.txt")).hasContent("new");
            assertThat(lines).anyMatch(line -> line.startsWith(data + " cannot be replaced by renaming (it is a mount "
                    + "point), so the restored tree is prepared inside it, in .rg-restore-"))
                    .anyMatch(line -> line.contains("rm -rf '" + own.get(0) + "'"));

            BackupManifest later = store.take("prod", spec(data), TestContexts.create(Map.of()));
            assertThat(FilesKind.readEntries(temp.resolve("store/prod").resolve(later.id())).keySet())
                    .isNotEmpty().noneMatch(path -> path.contains(".rg-"));
            store.restore(later.id(), RestoreTarget.original(manifest.spec()), TestContexts.recording(lines));
            assertThat(describeWithoutRestoreEntries(data)).isEqualTo(restored);
            assertThat(restoreEntries(data)).as("both replaced trees").hasSize(2);
            assertThat(lines).anyMatch(line -> line.startsWith("1 older replaced tree of " + data + " is kept too"));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cache, **.tmp | a rename from it to its parent directory crosses file systems",
        "none           | renaming it failed: "})
    void shouldFallBackInsideWhenARenameFails(final String exclude, final String reason) throws Exception {
        try (TmpfsMount mount = TmpfsMount.on(temp.resolve("data"), "16m")) {
            Path data = mount.dir();
            BackupStore store = new BackupStore(temp.resolve("store"));
            Map<String, String> restored = prepare(data);
            List<String> excluded = exclude.equals("none") ? List.of() : List.of(exclude.split(", "));
            BackupManifest manifest = store.take("prod", new FilesBackupSpec(data.toString(), List.of(), excluded, 1),
                    TestContexts.create(Map.of()));
            change(data);
            Path dir = temp.resolve("store/prod").resolve(manifest.id());
            List<String> lines = new ArrayList<>();
            // Without looking for mount points first, as on a system that does not list them: with excluded paths,
            // carrying them across fails (EXDEV); without, renaming the mount point itself does (EBUSY).
            InPlaceRestore restore = new InPlaceRestore(data, temp.resolve("store"),
                    TestContexts.recording(lines).listener(), false);

            InPlaceRestore.Result result = restore.restore(manifest.id(), List.of(), excluded, prepared ->
                    new TreeExtractor(prepared).extract(dir.resolve(manifest.payload()), manifest.sha256(), 1 << 24,
                            1000));

            assertThat(result.layout()).isEqualTo(RestoreIntent.Layout.INSIDE);
            assertThat(describeWithoutRestoreEntries(data)).isEqualTo(restored);
            assertThat(lines).anyMatch(line -> line.startsWith(data + " cannot be replaced by renaming (" + reason)
                    && line.contains("), so the restored tree is prepared inside it, in .rg-restore-"));
            try (Stream<Path> beside = Files.list(temp)) {
                assertThat(beside).as("nothing left of the first attempt beside the mount point")
                        .noneMatch(path -> path.getFileName().toString().contains(".rg-"));
            }
        }
    }

    @Test
    void shouldRefuseAMountPointInsideTheDirectory() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        BackupStore store = new BackupStore(temp.resolve("store"));
        prepare(data);
        BackupManifest manifest = store.take("prod", spec(data), TestContexts.create(Map.of()));
        try (TmpfsMount cache = TmpfsMount.on(data.resolve("cache"), "1m")) {
            Files.writeString(cache.dir().resolve("on-the-tmpfs"), "kept");

            assertThatThrownBy(() -> store.restore(manifest.id(), RestoreTarget.original(manifest.spec()),
                    TestContexts.create(Map.of()))).isInstanceOf(BackupException.class)
                    .hasMessage("Cannot restore %s in place: %s is a mount point inside it; unmount it first, or "
                            + "restore into an empty directory", data, cache.dir());
            assertThat(cache.dir().resolve("on-the-tmpfs")).hasContent("kept");
        }
    }

    private static FilesBackupSpec spec(final Path data) {
        return new FilesBackupSpec(data.toString(), List.of(), EXCLUDE, 1);
    }

    /** Writes the tree to back up, with excluded paths; returns what a restore must give back. */
    private static Map<String, String> prepare(final Path data) throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            Trees.write(data.resolve("d" + i % 5).resolve("f" + i + ".dat"), random, 100 + i);
        }
        Trees.write(data.resolve("top.dat"), random, 50);
        Files.createSymbolicLink(data.resolve("current"), Path.of("d1"));
        Trees.write(data.resolve("cache/c/1.bin"), random, 200);
        Trees.write(data.resolve("d2/work.tmp"), random, 20);
        return Trees.describe(data);
    }

    /** Changes the tree after the backup: the backup's files differ, and only the excluded paths are kept. */
    private static void change(final Path data) throws IOException {
        Files.writeString(data.resolve("top.dat"), "changed");
        Files.writeString(data.resolve("added.txt"), "new");
        Files.delete(data.resolve("d3/f3.dat"));
        Files.delete(data.resolve("current"));
    }

    private static Map<String, String> describeWithoutRestoreEntries(final Path data) {
        Map<String, String> all = Trees.describe(data);
        all.keySet().removeIf(path -> PathSelection.isReserved(Path.of(path).getName(0)));
        return all;
    }

    private static List<Path> restoreEntries(final Path data) throws IOException {
        try (Stream<Path> entries = Files.list(data)) {
            return entries.filter(entry -> entry.getFileName().toString().startsWith(".rg-")).sorted().toList();
        }
    }
}
