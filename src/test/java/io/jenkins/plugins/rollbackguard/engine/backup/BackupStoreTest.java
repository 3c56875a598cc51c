package io.jenkins.plugins.rollbackguard.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.VirtualScheduler;

/** Tests the class {@link BackupStore}: lifecycle, retention and faults, with small command backups. */
class BackupStoreTest {
    private static final String ENV = "staging";

    @TempDir
    private Path temp;

    @Test
    void shouldKeepLastNAndEveryProtectedBackup() {
        BackupStore store = new BackupStore(temp.resolve("store"));
        VirtualScheduler clock = new VirtualScheduler();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(store.take(ENV, echo("backup " + i), context(clock)).id());
            clock.advance(Duration.ofMinutes(10));
        }

        List<String> deleted = store.prune(ENV, 2, Set.of(ids.get(0), ids.get(2)));

        assertThat(deleted).containsExactlyInAnyOrder(ids.get(1), ids.get(3));
        assertThat(store.list(ENV)).extracting(BackupManifest::id)
                .containsExactly(ids.get(5), ids.get(4), ids.get(2), ids.get(0));
        assertThat(store.find(ids.get(1))).isEmpty();
    }

    @Test
    void shouldRecordTimesSoThatTheDataLossWindowCanBeShown() {
        BackupStore store = new BackupStore(temp.resolve("store"));
        VirtualScheduler clock = new VirtualScheduler();

        BackupManifest manifest = store.take(ENV, echo("x"), context(clock));

        assertThat(manifest.startedAt()).isEqualTo(clock.now());
        assertThat(store.find(manifest.id())).contains(manifest);
        assertThat(manifest.id()).startsWith("20260101T000000Z-");
    }

    @Test
    void shouldNeverListOrKeepABackupWithoutCommittedManifest() throws IOException {
        BackupStore store = new BackupStore(temp.resolve("store"));
        BackupManifest good = store.take(ENV, echo("x"), context(new VirtualScheduler()));
        Path envDir = temp.resolve("store").resolve(ENV);
        Files.createDirectories(envDir.resolve("20260101T000100Z-0000000a.partial")); // a killed take
        Files.writeString(Files.createDirectories(envDir.resolve("20260101T000200Z-0000000b")).resolve("output.bin"), "");

        assertThat(store.list(ENV)).containsExactly(good);
        store.prune(ENV, 5, Set.of());

        assertThat(envDir).isDirectoryNotContaining("glob:**/*0000000a*").isDirectoryNotContaining("glob:**/*0000000b");
        assertThat(store.list(ENV)).containsExactly(good);
    }

    @Test
    void shouldFailClearlyWhenTheStoreIsNotWritable() throws IOException {
        Path blocked = Files.writeString(temp.resolve("store"), "a file where the store directory should be");
        BackupStore store = new BackupStore(blocked);

        assertThatThrownBy(() -> store.take(ENV, echo("x"), context(new VirtualScheduler())))
                .isInstanceOf(BackupException.class).hasMessageContaining("not writable").hasMessageContaining(ENV);
        assertThat(store.list(ENV)).isEmpty();
    }

    @Test
    void shouldFailClearlyWhenTheSourceIsMissing() {
        BackupStore store = new BackupStore(temp.resolve("store"));
        FilesBackupSpec spec = FilesBackupSpec.of(temp.resolve("no-such-dir"));

        assertThatThrownBy(() -> store.take(ENV, spec, context(new VirtualScheduler())))
                .isInstanceOf(BackupException.class).hasMessageContaining("no-such-dir")
                .hasMessageContaining("does not exist");
        assertThat(store.list(ENV)).isEmpty();
        assertThat(temp.resolve("store").resolve(ENV)).isEmptyDirectory();
    }

    @Test
    void shouldFailWhenTheCommandFailsOrWritesNothing() {
        BackupStore store = new BackupStore(temp.resolve("store"));

        assertThatThrownBy(() -> store.take(ENV, command("echo oops >&2; exit 3"), context(new VirtualScheduler())))
                .isInstanceOf(BackupException.class).hasMessageContaining("exit code 3").hasMessageContaining("oops");
        assertThatThrownBy(() -> store.take(ENV, command("true"), context(new VirtualScheduler())))
                .isInstanceOf(BackupException.class).hasMessageContaining("wrote no file");
        assertThat(temp.resolve("store").resolve(ENV)).isEmptyDirectory();
    }

    @Test
    void shouldPassSecretsToTheCommandThroughTheEnvironmentOnly() {
        BackupStore store = new BackupStore(temp.resolve("store"));
        CommandBackupSpec spec = new CommandBackupSpec(List.of("sh", "-c", "printf %s \"$TOKEN\" > {output}"),
                List.of("sh", "-c", "cp \"$ROLLBACK_GUARD_BACKUP_FILE\" " + temp.resolve("restored.txt")),
                Map.of("TOKEN", "API_TOKEN"), 30);

        BackupManifest manifest = store.take(ENV, spec, context(new VirtualScheduler()));
        store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), context(new VirtualScheduler()));

        assertThat(temp.resolve("restored.txt")).hasContent("tok-123456");
        assertThat(manifest.toString()).doesNotContain("tok-123456");
        assertThat(store.restoreTest(manifest.id(), RestoreTarget.directory(temp.resolve("scratch")),
                context(new VirtualScheduler())).ok()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "../prod", "", ".hidden", "a\\b", "prod\n", "x y",
            "a2345678901234567890123456789012345678901234567890123456789012345"}) // 65 characters
    void shouldRejectBadEnvironmentNames(final String environment) {
        BackupStore store = new BackupStore(temp.resolve("store"));

        assertThatThrownBy(() -> store.list(environment)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("environment").hasMessageContaining(environment);
    }

    @Test
    void shouldRefuseToUseTheOriginalAsScratchSpace() {
        BackupStore store = new BackupStore(temp.resolve("store"));
        BackupManifest manifest = store.take(ENV, echo("x"), context(new VirtualScheduler()));

        assertThatThrownBy(() -> store.restoreTest(manifest.id(), RestoreTarget.original(manifest.spec()),
                context(new VirtualScheduler()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scratch");
    }

    private static CommandBackupSpec echo(final String text) {
        return command("echo '" + text + "' > {output}");
    }

    private static CommandBackupSpec command(final String script) {
        return new CommandBackupSpec(List.of("sh", "-c", script), List.of(), Map.of(), 30);
    }

    private static BackupContext context(final VirtualScheduler clock) {
        return new BackupContext(SecretSource.of(Map.of("API_TOKEN", "tok-123456")), new LocalCommandRunner(), clock,
                null, "");
    }
}
