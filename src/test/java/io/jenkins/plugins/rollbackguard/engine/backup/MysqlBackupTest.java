package io.jenkins.plugins.rollbackguard.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.testing.MariaDbServer;

/** Tests MariaDB backups through {@link BackupStore} against a real MariaDB server. */
@Tag("slow")
class MysqlBackupTest {
    private static final String PASSWORD = "my-Secret\"'\\4711";
    private static final Map<String, String> SECRETS = Map.of("MY_PROD", PASSWORD);
    private static final String ENV = "prod";
    private static MariaDbServer server;

    @TempDir
    private Path temp;

    @BeforeAll
    static void startServer() {
        server = MariaDbServer.start();
        server.createUserAndDatabase("app", PASSWORD.replace("\\", "\\\\").replace("'", "\\'"), "shop");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldRestoreChangedAndDeletedDataExactly() {
        String db = createShop("exact");
        Map<String, String> before = contents(db);
        BackupStore store = new BackupStore(temp);
        BackupManifest manifest = store.take(ENV, spec(db, "MY_PROD"), TestContexts.create(SECRETS));

        server.sql(db, "UPDATE items SET name = 'changed' WHERE id % 7 = 0; DELETE FROM items WHERE id > 900; "
                + "DROP TABLE notes; INSERT INTO items (id, name) VALUES (5000, 'late')");
        store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), TestContexts.create(SECRETS));

        assertThat(contents(db)).isEqualTo(before);
        assertThat(manifest.verification().detail()).contains("complete");
        assertThat(manifest.tableChecksums()).containsKeys("items", "notes");
    }

    @Test
    void shouldRestoreIntoScratchDatabaseAndPassRestoreTest() {
        String db = createShop("scratch");
        BackupStore store = new BackupStore(temp);
        BackupManifest manifest = store.take(ENV, spec(db, "MY_PROD"), TestContexts.create(SECRETS));
        server.sql(db, "DELETE FROM items");

        RestoreTestResult test = store.restoreTest(manifest.id(), RestoreTarget.scratchDatabase(db + "_test"),
                TestContexts.create(SECRETS));
        store.restore(manifest.id(), RestoreTarget.scratchDatabase(db + "_copy"), TestContexts.create(SECRETS));

        assertThat(test.ok()).as(test.detail()).isTrue();
        assertThat(test.compared()).isEqualTo(2);
        assertThat(server.sql(db + "_copy", "SELECT count(*) FROM items").strip()).isEqualTo("1000");
        assertThat(server.sql("", "SHOW DATABASES LIKE '%_test'")).doesNotContain(db + "_test");
    }

    @Test
    void shouldFailClearlyWithWrongPasswordAndLeaveNothing() {
        String db = createShop("wrongpw");
        BackupStore store = new BackupStore(temp);

        assertThatThrownBy(() -> store.take(ENV, spec(db, "MY_PROD"), TestContexts.create(Map.of("MY_PROD", "bad-pw"))))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("Access denied").hasMessageNotContaining("bad-pw");
        assertThat(store.list(ENV)).isEmpty();
        assertThat(temp.resolve(ENV)).isEmptyDirectory();
    }

    @Test
    void shouldRemoveTheDefaultsFileAfterUse() throws Exception {
        String db = createShop("defaults");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countDefaultsFiles(tmp);

        new BackupStore(temp).take(ENV, spec(db, "MY_PROD"), TestContexts.create(SECRETS));

        assertThat(countDefaultsFiles(tmp)).isEqualTo(before);
    }

    @Test
    void shouldLeaveNoDefaultsFileWhenTheSecretIsMissing() throws Exception {
        String db = createShop("nosecret");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countDefaultsFiles(tmp);

        for (int attempt = 0; attempt < 3; attempt++) {
            assertThatThrownBy(() -> new BackupStore(temp).take(ENV, spec(db, "NOT_SET"), TestContexts.create(Map.of())))
                    .hasMessageContaining("NOT_SET");
        }

        assertThat(countDefaultsFiles(tmp)).isEqualTo(before);
    }

    /** Defaults files of this process, in its private directory (and any left by older versions in tmp itself). */
    private static long countDefaultsFiles(final Path tmp) throws Exception {
        long count;
        try (var files = Files.list(tmp)) {
            count = files.filter(f -> f.getFileName().toString().startsWith("rollback-guard-my")).count();
        }
        Path own = tmp.resolve("rollback-guard-secrets-" + ProcessHandle.current().pid());
        if (Files.isDirectory(own)) {
            try (var files = Files.list(own)) {
                count += files.filter(f -> f.getFileName().toString().endsWith(".cnf")).count();
            }
        }
        return count;
    }

    private static MysqlBackupSpec spec(final String database, final String secret) {
        return new MysqlBackupSpec(server.host(), server.port(), database, "app", secret, null, null, 120, true);
    }

    private static String createShop(final String suffix) {
        String db = "shop_" + suffix;
        server.sql("", "CREATE DATABASE " + db);
        server.sql(db, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(200), price DECIMAL(10,2), data BLOB, "
                + "at DATETIME(3)) CHARACTER SET utf8mb4;"
                + "INSERT INTO items SELECT seq, CONCAT('item ', seq, ' \u00e9\\n\\t''q'''), seq * 1.25, UNHEX(MD5(seq)), "
                + "'2026-01-01' + INTERVAL seq MINUTE FROM seq_1_to_1000;"
                + "UPDATE items SET name = NULL WHERE id % 100 = 0;"
                + "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('a'), ('a'), (''), (NULL);"
                + "CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW SET NEW.price = NEW.price");
        return db;
    }

    /** Hashes each table's rows in a defined order, independently of the engine's own query. */
    private static Map<String, String> contents(final String database) {
        String groupLen = "SET SESSION group_concat_max_len = 1000000000; ";
        return Map.of("items", server.sql(database, groupLen + "SELECT MD5(GROUP_CONCAT(CONCAT_WS(',', id, QUOTE(name), "
                        + "price, HEX(data), at) ORDER BY id SEPARATOR '|')) FROM items"),
                "notes", server.sql(database, groupLen + "SELECT MD5(GROUP_CONCAT(QUOTE(body) ORDER BY QUOTE(body) "
                        + "SEPARATOR '|')) FROM notes"),
                "triggers", server.sql(database, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                        + "WHERE TRIGGER_SCHEMA = DATABASE()"));
    }
}
