package io.jenkins.plugins.rollbackguard.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        store.restore(manifest.id(), RestoreTarget.original(), TestContexts.create(Map.of()));

        assertThat(Trees.describe(source)).isEqualTo(before);
        assertThat(temp.resolve("src").getParent()).isDirectoryNotContaining("glob:**.rg-*");
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
