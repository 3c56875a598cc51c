package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.*;

/** Tests the seal of a store's manifests through {@link BackupStore}: forged, unsealed and trusted backups. */
class ManifestSealTest {
    private static final String ENV = "prod";

    @TempDir
    private Path temp;

    private Path source;
    private BackupStore store;
    private BackupManifest manifest;
    private Path dir;

    @BeforeEach
    void takeABackup() throws IOException {
        source = Files.createDirectories(temp.resolve("shop"));
        Files.writeString(source.resolve("orders.csv"), "1,alice\n2,bob\n");
        store = new BackupStore(temp.resolve("store"));
        manifest = store.take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of()));
        dir = temp.resolve("store").resolve(ENV).resolve(manifest.id());
    }

    @Test
    void shouldSealEveryBackupWithAPrivateKeyOfTheStore() throws IOException {
        Path key = temp.resolve("store").resolve(ManifestSeal.KEY);

        assertThat(store.isAuthentic(manifest.id())).isTrue();
        assertThat(dir.resolve(ManifestSeal.SIGNATURE)).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.size(key)).isEqualTo(32);
        byte[] before = Files.readAllBytes(key);
        new BackupStore(temp.resolve("store")).take(ENV, FilesBackupSpec.of(source), TestContexts.create(Map.of()));
        assertThat(Files.readAllBytes(key)).as("the key is created once").isEqualTo(before);
    }

    @Test
    void shouldRefuseAForgedManifestBeforeReadingAnythingItNames() throws IOException {
        Path secret = Files.writeString(temp.resolve("shadow"), "root:$6$secret");
        String json = Files.readString(dir.resolve(BackupStore.MANIFEST), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(BackupStore.MANIFEST), json.replace("\"archive.tar.gz\"", "\"" + secret + "\""));
        Path target = temp.resolve("restored");

        assertThatThrownBy(() -> store.restore(manifest.id(), RestoreTarget.directory(target), TestContexts.create(Map.of())))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("was changed after this store sealed it")
                .hasMessageContaining("rollback-guard backup trust --env prod --backup " + manifest.id());
        assertThat(target).doesNotExist();
    }

    @Test
    void shouldRefuseAPayloadOutsideTheBackupEvenWhenSealed() throws IOException {
        String json = Files.readString(dir.resolve(BackupStore.MANIFEST), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(BackupStore.MANIFEST), json.replace("\"archive.tar.gz\"", "\"../../../etc/shadow\""));
        ManifestSeal.of(temp.resolve("store")).seal(dir); // someone who holds the key

        assertThatThrownBy(() -> store.restore(manifest.id(), RestoreTarget.directory(temp.resolve("restored")),
                TestContexts.create(Map.of()))).isInstanceOf(BackupException.class)
                .hasMessageContaining("names the file '../../../etc/shadow', which is not a file of the backup's own directory");
    }

    @Test
    void shouldIgnoreAManifestThatNamesAnotherDirectory() throws IOException {
        Path copy = temp.resolve("store").resolve("staging").resolve(manifest.id());
        Files.createDirectories(copy.getParent());
        DirectorySwapCopy.copy(dir, copy);
        DirectorySwap.deleteTree(dir);

        assertThat(store.find(manifest.id())).as("a prod manifest in the staging directory is no backup").isEmpty();
        assertThat(store.list("staging")).isEmpty();
    }

    @Test
    void shouldRestoreAnUnsealedBackupOnlyAfterItIsTrusted() throws IOException {
        Files.delete(dir.resolve(ManifestSeal.SIGNATURE));
        Files.delete(temp.resolve("store").resolve(ManifestSeal.KEY)); // as before the store had a key
        Path target = temp.resolve("restored");

        assertThat(store.isAuthentic(manifest.id())).isFalse();
        assertThatThrownBy(() -> store.restore(manifest.id(), RestoreTarget.directory(target), TestContexts.create(Map.of())))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("has no seal of this store (it was written before the store sealed its manifests)")
                .hasMessageContaining("rollback-guard backup trust --env prod --backup " + manifest.id());
        assertThat(target).doesNotExist();

        BackupManifest trusted = store.trust(manifest.id(), TestContexts.create(Map.of()));
        store.restore(manifest.id(), RestoreTarget.directory(target), TestContexts.create(Map.of()));

        assertThat(trusted.verification().ok()).isTrue();
        assertThat(store.isAuthentic(manifest.id())).isTrue();
        assertThat(target.resolve("orders.csv")).hasContent("1,alice\n2,bob\n");
    }

    @Test
    void shouldNotTrustABackupWhoseArchiveDoesNotMatch() throws IOException {
        Files.delete(dir.resolve(ManifestSeal.SIGNATURE));
        Path archive = dir.resolve(FilesKind.ARCHIVE);
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(archive, bytes);

        assertThatThrownBy(() -> store.trust(manifest.id(), TestContexts.create(Map.of())))
                .isInstanceOf(BackupException.class).hasMessageContaining("was not trusted");
        assertThat(dir.resolve(ManifestSeal.SIGNATURE)).doesNotExist();
        assertThat(store.isAuthentic(manifest.id())).isFalse();
    }

    @Test
    void shouldTakeThePlaceToRestoreToFromThePolicyNeverFromTheManifest() throws IOException {
        Path other = Files.createDirectories(temp.resolve("erp"));
        Files.writeString(other.resolve("ledger.csv"), "keep me\n");

        assertThatThrownBy(() -> store.restore(manifest.id(), RestoreTarget.original(FilesBackupSpec.of(other)),
                TestContexts.create(Map.of()))).isInstanceOf(BackupException.class)
                .hasMessageContaining("was taken of files " + source).hasMessageContaining("the policy's backup is files " + other);
        assertThat(other.resolve("ledger.csv")).hasContent("keep me\n");
        assertThatIllegalArgumentException().isThrownBy(() -> new RestoreTarget(RestoreTarget.Mode.ORIGINAL, "", null))
                .withMessageContaining("needs the policy's backup");
    }

    @Test
    void shouldRunThePolicysRestoreCommandNotTheOneRecordedInTheManifest() throws IOException {
        Path recorded = temp.resolve("recorded.txt");
        Path current = temp.resolve("current.txt");
        List<String> dump = List.of("sh", "-c", "printf orders > {output}");
        BackupManifest taken = store.take(ENV, new CommandBackupSpec(dump,
                List.of("sh", "-c", "cp \"$ROLLBACK_GUARD_BACKUP_FILE\" " + recorded), Map.of(), 30),
                TestContexts.create(Map.of()));
        CommandBackupSpec policy = new CommandBackupSpec(dump,
                List.of("sh", "-c", "cp \"$ROLLBACK_GUARD_BACKUP_FILE\" " + current), Map.of(), 30);

        store.restore(taken.id(), RestoreTarget.original(policy), TestContexts.create(Map.of()));

        assertThat(current).hasContent("orders");
        assertThat(recorded).doesNotExist();
        assertThat(store.policySpecOf(taken.id(), List.of(FilesBackupSpec.of(source), policy))).contains(policy);
    }

    /** Copies a backup directory, as someone moving files by hand would. */
    private static final class DirectorySwapCopy {
        static void copy(final Path from, final Path to) throws IOException {
            Files.createDirectories(to);
            try (var files = Files.list(from)) {
                for (Path file : files.toList()) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }
}
