package io.jenkins.plugins.rollbackguard.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.testing.PostgresServer;

/** Tests PostgreSQL backups through {@link BackupStore} against a real PostgreSQL 15 server. */
@Tag("slow")
class PostgresBackupTest {
    private static final String PASSWORD = "pg-Secret-4711";
    private static final Map<String, String> SECRETS = Map.of("PG_PROD", PASSWORD);
    private static final String ENV = "prod";
    private static PostgresServer server;

    @TempDir
    private Path temp;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
        server.createUserAndDatabase("app", PASSWORD, "shop");
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
        BackupManifest manifest = store.take(ENV, spec(db, "PG_PROD"), TestContexts.create(SECRETS));

        server.sql(db, "UPDATE items SET name = 'changed' WHERE id % 7 = 0; DELETE FROM items WHERE id > 900; "
                + "DROP TABLE notes; INSERT INTO items (id, name) VALUES (5000, 'late')");
        store.restore(manifest.id(), RestoreTarget.original(manifest.spec()), TestContexts.create(SECRETS));

        assertThat(contents(db)).isEqualTo(before).containsKeys("items", "notes");
        assertThat(manifest.verification().detail()).contains("pg_restore --list reads");
        assertThat(manifest.tableChecksums()).containsKeys("public.items", "public.notes");
        assertThat(manifest.source()).isEqualTo("postgres://app@127.0.0.1:%d/%s".formatted(server.port(), db));
    }

    @Test
    void shouldRestoreIntoScratchDatabaseAndPassRestoreTest() {
        String db = createShop("scratch");
        BackupStore store = new BackupStore(temp);
        BackupManifest manifest = store.take(ENV, spec(db, "PG_PROD"), TestContexts.create(SECRETS));
        server.sql(db, "DELETE FROM items");

        RestoreTestResult test = store.restoreTest(manifest.id(), RestoreTarget.scratchDatabase(db + "_test"),
                TestContexts.create(SECRETS));
        store.restore(manifest.id(), RestoreTarget.scratchDatabase(db + "_copy"), TestContexts.create(SECRETS));

        assertThat(test.ok()).as(test.detail()).isTrue();
        assertThat(test.compared()).isEqualTo(2);
        assertThat(contents(db + "_copy").get("items")).isNotEqualTo(contents(db).get("items"));
        assertThat(server.sql(db + "_copy", "SELECT count(*) FROM items").strip()).isEqualTo("1000");
    }

    @Test
    void shouldFailClearlyWithWrongPasswordAndLeaveNothing() {
        String db = createShop("wrongpw");
        BackupStore store = new BackupStore(temp);

        assertThatThrownBy(() -> store.take(ENV, spec(db, "PG_PROD"), TestContexts.create(Map.of("PG_PROD", "wrong-pw"))))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("password authentication failed").hasMessageNotContaining("wrong-pw");
        assertThat(store.list(ENV)).isEmpty();
        assertThat(temp.resolve(ENV)).isEmptyDirectory();
    }

    @Test
    void shouldNameMissingSecretWithoutValue() {
        BackupStore store = new BackupStore(temp);

        assertThatThrownBy(() -> store.take(ENV, spec("shop", "PG_OTHER"), TestContexts.create(SECRETS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passwordSecret")
                .hasMessageContaining("PG_OTHER").hasMessageNotContaining(PASSWORD);
        assertThat(store.list(ENV)).isEmpty();
    }

    /** A lock makes pg_dump wait mid-run; killing it with SIGKILL must leave no usable-looking backup. */
    @Test
    void shouldLeaveNothingWhenDumpIsKilledMidway() {
        String db = createShop("killed");
        Process locker = server.holdLock(db, "items");
        try {
            BackupStore store = new BackupStore(temp);
            CommandRunner killing = request -> {
                CompletableFuture.runAsync(() -> killWhenRunning("pg_dump", temp));
                return new LocalCommandRunner().run(request);
            };

            PostgresBackupSpec spec = new PostgresBackupSpec(server.host(), server.port(), db, "app", "PG_PROD", null,
                    120, false); // no table checksums: their query would wait for the lock before pg_dump starts

            assertThatThrownBy(() -> store.take(ENV, spec, TestContexts.create(SECRETS, killing)))
                    .isInstanceOf(BackupException.class).hasMessageContaining("pg_dump")
                    .hasMessageContaining("exit code 137");
            assertThat(store.list(ENV)).isEmpty();
            assertThat(temp.resolve(ENV)).isEmptyDirectory();
        }
        finally {
            locker.destroyForcibly();
            server.sql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep%'"
                    + " AND pid <> pg_backend_pid()");
        }
    }

    private static void killWhenRunning(final String program, final Path store) {
        await().atMost(Duration.ofSeconds(20)).until(() -> find(program, store).isPresent());
        find(program, store).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static Optional<ProcessHandle> find(final String program, final Path store) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .filter(line -> line.contains(program) && line.contains(store.toString())).isPresent()).findFirst();
    }

    private static PostgresBackupSpec spec(final String database, final String secret) {
        return new PostgresBackupSpec(server.host(), server.port(), database, "app", secret, null, 120, true);
    }

    private static String createShop(final String suffix) {
        String db = "shop_" + suffix;
        server.sql("postgres", "CREATE DATABASE %s OWNER app".formatted(db));
        server.sql(db, "SET ROLE app; CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2), "
                + "data bytea, tags jsonb, at timestamptz);"
                + "INSERT INTO items SELECT i, 'item ' || i || E' \\u00e9\\n\\t''q''', i * 1.25, "
                + "decode(md5(i::text), 'hex'), jsonb_build_object('n', i), '2026-01-01'::timestamptz + i * interval '1 min' "
                + "FROM generate_series(1, 1000) i;"
                + "UPDATE items SET name = NULL WHERE id % 100 = 0;"
                + "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('a'), ('a'), (''), (NULL)");
        return db;
    }

    /** Hashes each table's rows in a defined order, independently of the engine's own query. */
    private static Map<String, String> contents(final String database) {
        return Map.of("items", server.sql(database, "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM items t"),
                "notes", server.sql(database, "SELECT md5(string_agg(coalesce(t::text, 'NULL'), '|' ORDER BY t::text)) "
                        + "FROM notes t"));
    }
}
