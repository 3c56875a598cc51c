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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import java.time.Duration;

/** Tests files backups through {@link BackupStore}. */
class FilesBackupTest {
    private static final String ENV = "prod";

    @TempDir
    private Path temp;

    @Test
    void shouldRestoreOddTreeByteForByteIntoDirectory() throws IOException {
        Path source = createSource();
        BackupStore store = new BackupStore(temp.resolve("store"));

        BackupManifest manifest = store.take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of()));
        store.restore(manifest.id(), RestoreTarget.directory(temp.resolve("restored")), TestContexts.create(Map.of()));

        assertThat(Trees.describe(temp.resolve("restored"))).isEqualTo(Trees.describe(source)).hasSizeGreaterThan(15);
        assertThat(manifest.usable()).isTrue();
        assertThat(manifest.verification().detail()).contains("file hashes match");
        assertThat(manifest.label()).isEqualTo("point-1");
    }

    @Test
    void shouldRestoreOriginalAfterChangesAndDeletions() throws IOException {
        Path source = createSource();
        Map<String, String> before = Trees.describe(source);
        BackupStore store = new BackupStore(temp.resolve("store"));
        BackupManifest manifest = store.take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of()));

        Files.writeString(source.resolve("large.bin"), "changed");
        Files.delete(source.resolve("-leading-dash"));
        Files.writeString(source.resolve("added.txt"), "new");
        store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), TestContexts.create(Map.of()));

        assertThat(Trees.describe(source)).isEqualTo(before);
        assertThat(rgEntries(temp)).singleElement().asString().contains(".src.rg-replaced-");
    }

    @Test
    void shouldKeepTheExcludedPathsAndTheReplacedTreeWhenRestoringInPlace() throws IOException {
        Path source = createSource();
        Trees.write(source.resolve("cache/thumbs/1.png"), new Random(1), 300);
        Trees.write(source.resolve("upload.tmp"), new Random(2), 10);
        Trees.write(source.resolve("with space/part.tmp"), new Random(3), 10);
        BackupStore store = new BackupStore(temp.resolve("store"));
        Map<String, String> expected = Trees.describe(source);
        expected.keySet().removeIf(FilesBackupTest::excluded);
        BackupManifest manifest = store.take(ENV, new FilesBackupSpec(source.toString(), List.of(),
                List.of("cache", "**.tmp"), 1), TestContexts.create(Map.of()));

        Files.writeString(source.resolve("large.bin"), "changed since the backup");
        Files.writeString(source.resolve("added.txt"), "new");
        Trees.write(source.resolve("cache/thumbs/2.png"), new Random(4), 300);
        Trees.write(source.resolve("bin/new.tmp"), new Random(5), 20);
        Trees.write(source.resolve("later/note.tmp"), new Random(6), 20); // its directory is not in the backup
        Files.writeString(source.resolve("later/plain.txt"), "not excluded: goes with the replaced tree");
        Map<String, String> live = Trees.describe(source);
        live.forEach((path, description) -> {
            if (excluded(path) || path.equals("later")) {
                expected.put(path, description);
            }
        });
        List<String> lines = new ArrayList<>();

        store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), TestContexts.recording(lines));

        assertThat(Trees.describe(source)).isEqualTo(expected);
        Path replaced = rgEntries(temp).get(0);
        assertThat(rgEntries(temp)).as("the replaced tree, and nothing else of the restore").containsExactly(replaced);
        assertThat(replaced.getFileName().toString()).startsWith(".src.rg-replaced-");
        assertThat(replaced.resolve("large.bin")).hasContent("changed since the backup");
        assertThat(replaced.resolve("added.txt")).hasContent("new");
        assertThat(replaced.resolve("later/plain.txt")).exists();
        assertThat(replaced.resolve("cache")).as("carried into the restored tree").doesNotExist();
        assertThat(lines).anyMatch(line -> line.contains("keeping 5 live entries that the backup leaves out"))
                .anyMatch(line -> line.contains("is kept in " + replaced) && line.contains("rm -rf '" + replaced + "'"));
        assertThat(store.recover(source, TestContexts.create(Map.of()))).as("nothing to recover").isEmpty();
    }

    @Test
    void shouldRestoreADirectoryThatWasDeletedWithNothingToKeepAside() throws IOException {
        Path source = createSource();
        Map<String, String> before = Trees.describe(source);
        BackupStore store = new BackupStore(temp.resolve("store"));
        BackupManifest manifest = store.take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of()));
        DirectorySwap.deleteTree(source);
        List<String> lines = new ArrayList<>();

        store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), TestContexts.recording(lines));

        assertThat(Trees.describe(source)).isEqualTo(before);
        assertThat(rgEntries(temp)).isEmpty();
        assertThat(lines).noneMatch(line -> line.contains("rm -rf"));
    }

    @Test
    void shouldKeepAFifoThatNoBackupHolds() throws Exception {
        Path source = createSource();
        BackupStore store = new BackupStore(temp.resolve("store"));
        Process mkfifo = new ProcessBuilder("mkfifo", source.resolve("bin/app.pipe").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        BackupManifest manifest = store.take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of()));
        assertThat(FilesKind.readEntries(temp.resolve("store").resolve(ENV).resolve(manifest.id())))
                .doesNotContainKey("bin/app.pipe");

        store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), TestContexts.create(Map.of()));

        assertThat(Files.readAttributes(source.resolve("bin/app.pipe"), java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()).as("still a FIFO, in the restored tree").isTrue();
    }

    @Test
    void shouldKeepTheFilesThatIncludeDoesNotSelect() throws IOException {
        Path source = createSource();
        BackupStore store = new BackupStore(temp.resolve("store"));
        Path text = source.resolve("with space/ümlaut ß 日本/file name with spaces.txt");
        String before = Files.readString(text, java.nio.charset.StandardCharsets.ISO_8859_1);
        BackupManifest manifest = store.take(ENV, new FilesBackupSpec(source.toString(), List.of("**.txt"), List.of(),
                1), TestContexts.create(Map.of()));
        Files.writeString(text, "changed");
        Files.writeString(source.resolve("added.txt"), "new");
        Files.writeString(source.resolve("large.bin"), "not in the backup: kept");

        store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), TestContexts.create(Map.of()));

        assertThat(Files.readString(text, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo(before);
        assertThat(source.resolve("added.txt")).doesNotExist();
        assertThat(source.resolve("large.bin")).hasContent("not in the backup: kept");
        assertThat(Files.readSymbolicLink(source.resolve("link-to-file"))).isEqualTo(Path.of("bin/run.sh"));
        assertThat(rgEntries(temp).get(0).resolve("added.txt")).hasContent("new");
    }

    @Test
    void shouldLeaveInTheReplacedTreeWhatTheBackupHoldsSomethingElseFor() throws IOException {
        Path source = createSource();
        BackupStore store = new BackupStore(temp.resolve("store"));
        BackupManifest manifest = store.take(ENV, new FilesBackupSpec(source.toString(), List.of("**.txt"), List.of(),
                1), TestContexts.create(Map.of()));
        DirectorySwap.deleteTree(source.resolve("empty"));
        Files.writeString(source.resolve("empty"), "a file where the backup has a directory");
        List<String> lines = new ArrayList<>();

        store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), TestContexts.recording(lines));

        assertThat(source.resolve("empty/nested-empty")).isDirectory();
        assertThat(rgEntries(temp).get(0).resolve("empty")).hasContent("a file where the backup has a directory");
        assertThat(lines).anyMatch(line -> line.startsWith("ERROR: 1 live entries that the backup leaves out could "
                + "not be kept") && line.contains(".rg-replaced-"));
    }

    @Test
    void shouldRefuseToRestoreOverASymbolicLinkOrAFile() throws IOException {
        Path source = createSource();
        BackupStore store = new BackupStore(temp.resolve("store"));
        BackupManifest manifest = store.take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of()));
        Files.move(source, temp.resolve("elsewhere"));
        Files.createSymbolicLink(source, temp.resolve("elsewhere"));

        assertThatThrownBy(() -> store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), TestContexts.create(Map.of())))
                .isInstanceOf(BackupException.class).hasMessage("Cannot restore %s in place: it is a symbolic link; "
                        + "restore to the directory it points to", source);
        Files.delete(source);
        Files.writeString(source, "a file");
        assertThatThrownBy(() -> store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), TestContexts.create(Map.of())))
                .isInstanceOf(BackupException.class).hasMessage("Cannot restore %s in place: it is not a directory; "
                        + "move it away or restore into an empty directory", source);
        assertThat(rgEntries(temp)).isEmpty();
    }

    @Test
    void shouldRefuseASecondRestoreOfTheSameDirectoryWhileOneRuns() throws Exception {
        Path source = createSource();
        BackupStore store = new BackupStore(temp.resolve("store"));
        BackupManifest manifest = store.take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of()));
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        InPlaceRestore.afterStep = step -> {
            if (step.equals("record preparing")) {
                started.countDown();
                try {
                    release.await();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try {
            Thread first = new Thread(() -> store.restore(manifest.id(), RestoreTarget.original(manifest.spec()),
                    TestContexts.create(Map.of())));
            first.start();
            assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> store.restore(manifest.id(), RestoreTarget.original(manifest.spec()),
                    TestContexts.create(Map.of()))).isInstanceOf(BackupException.class)
                    .hasMessage("Another restore of %s is running; wait until it ends and try again", source);
            assertThatThrownBy(() -> store.recover(source, TestContexts.create(Map.of())))
                    .hasMessageContaining("Another restore of");
            release.countDown();
            first.join(30_000);
        }
        finally {
            InPlaceRestore.afterStep = step -> { };
            release.countDown();
        }
        assertThat(rgEntries(temp)).singleElement().asString().contains(".rg-replaced-");
    }

    private static boolean excluded(final String path) {
        return path.startsWith("cache") || path.endsWith(".tmp");
    }

    /** The in-place restore's entries beside the source, {@code temp/src}. */
    private static List<Path> rgEntries(final Path dir) throws IOException {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            return entries.filter(entry -> entry.getFileName().toString().startsWith(".src.rg-")).sorted().toList();
        }
    }

    @Test
    void shouldWriteAnArchiveThatGnuTarReadsWithAManifestOfEveryFile() throws IOException {
        Path source = createSource();
        BackupStore store = new BackupStore(temp.resolve("store"));
        BackupManifest manifest = store.take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of()));
        Path dir = temp.resolve("store").resolve(ENV).resolve(manifest.id());
        Path extracted = Files.createDirectory(temp.resolve("gnu"));

        var result = new LocalCommandRunner().run(CommandRequest.of(Duration.ofMinutes(1),
                "tar", "-xzf", dir.resolve(manifest.payload()).toString(), "-C", extracted.toString()));

        assertThat(result.succeeded()).as(result.stderr()).isTrue();
        assertThat(Trees.describe(extracted)).isEqualTo(Trees.describe(source));
        assertThat(FilesKind.readEntries(dir)).containsKeys("large.bin", "link-to-file", "empty/nested-empty");
        assertThat(FilesKind.readEntries(dir).get("large.bin").sha256())
                .isEqualTo(Hashing.sha256(source.resolve("large.bin")));
        assertThat(manifest.sha256()).isEqualTo(Hashing.sha256(dir.resolve(manifest.payload())));
    }

    @Test
    void shouldApplyIncludeAndExcludePatterns() throws IOException {
        Path source = createSource();
        BackupStore store = new BackupStore(temp.resolve("store"));
        FilesBackupSpec spec = new FilesBackupSpec(source.toString(), List.of("**.txt", "*.bin"),
                List.of("empty", "large.bin"), 1);

        BackupManifest manifest = store.take(ENV, spec, TestContexts.create(Map.of()));
        store.restore(manifest.id(), RestoreTarget.directory(temp.resolve("restored")), TestContexts.create(Map.of()));

        assertThat(temp.resolve("restored/with space/ümlaut ß 日本/file name with spaces.txt")).exists();
        assertThat(temp.resolve("restored/empty")).doesNotExist();
        assertThat(temp.resolve("restored/large.bin")).doesNotExist();
        assertThat(temp.resolve("restored/bin/run.sh")).doesNotExist();
        assertThat(temp.resolve("restored/bin")).isDirectory();
    }

    @Test
    void shouldPassRestoreTestAndReportEveryEntry() throws IOException {
        Path source = createSource();
        BackupStore store = new BackupStore(temp.resolve("store"));
        BackupManifest manifest = store.take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of()));

        RestoreTestResult result = store.restoreTest(manifest.id(), RestoreTarget.directory(temp.resolve("scratch")),
                TestContexts.create(Map.of()));

        assertThat(result.ok()).as(result.detail()).isTrue();
        assertThat(result.compared()).isEqualTo(Trees.describe(source).size());
        assertThat(result.mismatches()).isEmpty();
    }

    @Test
    void shouldRefuseSymbolicLinkPointingOutOfTheSource() throws IOException {
        Path source = createSource();
        Files.createSymbolicLink(source.resolve("escape"), Path.of("../../etc"));
        BackupStore store = new BackupStore(temp.resolve("store"));

        assertThatThrownBy(() -> store.take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of())))
                .isInstanceOf(BackupException.class).hasMessageContaining("escape").hasMessageContaining("../../etc");
        assertThat(store.list(ENV)).isEmpty();
        assertThat(temp.resolve("store").resolve(ENV)).isEmptyDirectory();
    }

    @Test
    void shouldMarkCorruptedArchiveAsUnusable() throws IOException {
        Path source = createSource();
        BackupStore store = new BackupStore(temp.resolve("store"));
        BackupManifest manifest = store.take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of()));
        Path archive = temp.resolve("store").resolve(ENV).resolve(manifest.id()).resolve(manifest.payload());
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(archive, bytes);

        Verification verification = store.verify(manifest.id(), TestContexts.create(Map.of()));

        assertThat(verification.ok()).isFalse();
        assertThat(store.find(manifest.id())).hasValueSatisfying(found -> assertThat(found.usable()).isFalse());
    }

    private Path createSource() throws IOException {
        Path source = temp.resolve("src");
        Trees.createOddTree(source, new Random().nextLong());
        return source;
    }
}
