package io.jenkins.plugins.rollbackguard.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.testing.MariaDbServer;

/** Reads data heads written by the real Flyway and Liquibase into a real MariaDB, through the mariadb client. */
@Tag("slow")
class MysqlDataHeadTest {
    private static final String PASSWORD = "my-Data-0815";
    private static final Map<String, String> SECRETS = Map.of("MY_PROD", PASSWORD);
    private static MariaDbServer server;

    @TempDir
    private Path temp;

    @BeforeAll
    static void startServer() {
        server = MariaDbServer.start();
        server.createUserAndDatabase("app", PASSWORD, "shop");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldReadFlywayHeadAndNameMigrationFailedMidway() {
        String db = database("fly");
        Path scripts = Migrations.scripts(temp.resolve("sql"), Map.of(
                "V1__create_items.sql", "CREATE TABLE items (id int PRIMARY KEY, name varchar(50));",
                "V2__add_price.sql", "ALTER TABLE items ADD COLUMN price decimal(10, 2);"));
        migrations(db).flyway(scripts);
        DataHead good = read(db, DataSourceSpec.database());

        Migrations.scripts(scripts, Map.of("V3__split_names.sql",
                "CREATE TABLE names (id int PRIMARY KEY);\nALTER TABLE no_such_table ADD COLUMN x int;"));
        assertThatThrownBy(() -> migrations(db).flyway(scripts)).isInstanceOf(FlywayException.class);
        DataHead broken = read(db, DataSourceSpec.database());

        assertThat(good.table()).isEqualTo(db + ".flyway_schema_history");
        assertThat(good.head()).isEqualTo("2");
        assertThat(good.halfApplied()).isNull();
        assertThat(broken.head()).as("the last successful version").isEqualTo("2");
        assertThat(broken.halfApplied()).contains("V3__split_names.sql").contains("success = false")
                .contains(db + ".flyway_schema_history");
        assertThat(broken.since(good)).singleElement().satisfies(m -> assertThat(m.success()).isFalse());
        assertThat(server.sql(db, "SHOW TABLES LIKE 'names'").strip()).as("MariaDB kept the half").isEqualTo("names");
        server.sql(db, "DROP TABLE names");
        migrations(db).flywayRepair(scripts);
        assertThat(read(db, DataSourceSpec.database()).halfApplied()).as("after flyway repair").isNull();
    }

    @Test
    void shouldReadLiquibaseUppercaseChangelogWithLabelTagAndStaleLock() {
        String db = database("liqui");
        Path dir = Migrations.scripts(temp.resolve("lb"), Map.of("changelog.sql", """
                --liquibase formatted sql
                --changeset alice:1
                CREATE TABLE items (id int PRIMARY KEY, name varchar(50));
                --changeset alice:2 labels:expand context:prod
                ALTER TABLE items ADD COLUMN price decimal(10, 2);
                """));
        Migrations liquibase = migrations(db);
        liquibase.liquibase(dir, "changelog.sql", "release-7");

        DataHead head = read(db, DataSourceSpec.database());
        liquibase.holdLiquibaseLock();
        DataSourceSpec quick = new DataSourceSpec("database", null, "liquibase", null, "1s", null);

        assertThat(head.table()).isEqualTo(db + ".DATABASECHANGELOG");
        assertThat(head.head()).isEqualTo("2::alice::changelog.sql@release-7");
        assertThat(head.last().labels()).containsExactlyInAnyOrder("expand", "prod");
        assertThat(head.applied().get(0).labels()).isEmpty();
        assertThat(read(db, DataSourceSpec.database()).halfApplied()).as("a fresh lock").isNull();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> read(db, quick).halfApplied() != null);
        assertThat(read(db, quick).halfApplied()).contains(db + ".DATABASECHANGELOGLOCK").contains("held by");
    }

    @Test
    void shouldNameGolangMigrateDirtyVersion() {
        String db = database("golang");
        server.sql(db, "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
                + "INSERT INTO schema_migrations VALUES (20260301120000, 1)");

        DataHead head = read(db, DataSourceSpec.database());

        assertThat(head.tool()).isEqualTo("golang-migrate");
        assertThat(head.head()).isEqualTo("20260301120000");
        assertThat(head.halfApplied()).contains("migration 20260301120000 is dirty");
        server.sql(db, "UPDATE schema_migrations SET dirty = 0");
        assertThat(read(db, DataSourceSpec.database()).halfApplied()).isNull();
    }

    @Test
    void shouldReadQuerySourceAndLookOnlyInTheBackupsDatabase() {
        String db = database("query");
        String other = database("otherapp");
        migrations(other).flyway(Migrations.scripts(temp.resolve("sql"), Map.of(
                "V1__create_items.sql", "CREATE TABLE items (id int PRIMARY KEY);")));
        server.sql(db, "CREATE TABLE app_meta (k varchar(10), v varchar(10)); "
                + "INSERT INTO app_meta VALUES ('schema', 'v-9'), ('other', 'x')");

        assertThat(read(db, DataSourceSpec.query("SELECT v FROM app_meta WHERE k = 'schema'")).head()).isEqualTo("v-9");
        assertThatThrownBy(() -> read(db, DataSourceSpec.query("SELECT v FROM app_meta")))
                .isInstanceOf(DataHeadException.class).hasMessageContaining("returned 2 rows");
        assertThatThrownBy(() -> read(db, DataSourceSpec.query("SELECT max(v) FROM app_meta WHERE k = 'none'")))
                .isInstanceOf(DataHeadException.class).hasMessageContaining("returned no value");
        assertThatThrownBy(() -> read(db, DataSourceSpec.query("SELECT v FROM no_such_table")))
                .isInstanceOf(DataHeadException.class).hasMessageContaining("no_such_table");
        assertThat(read(db, DataSourceSpec.database()).isNone()).as("otherapp's history is another database's").isTrue();
        assertThat(read(db, new DataSourceSpec("database", null, null, other + ".flyway_schema_history", null, null))
                .head()).isEqualTo("1");
    }

    @Test
    void shouldKeepPasswordOutOfMessages() {
        String db = database("secret");

        assertThatThrownBy(() -> DataHeads.reader(DataSourceSpec.database(), spec(db),
                DataContexts.create(Map.of("MY_PROD", "wrong-" + PASSWORD))).read())
                .isInstanceOf(DataHeadException.class).hasMessageContaining("Access denied")
                .hasMessageNotContaining(PASSWORD);
        assertThatThrownBy(() -> DataHeads.reader(DataSourceSpec.database(), spec(db),
                DataContexts.create(Map.of())).read())
                .isInstanceOf(DataHeadException.class).hasMessageContaining("passwordSecret")
                .hasMessageContaining("MY_PROD");
    }

    private static String database(final String name) {
        server.sql("", "CREATE DATABASE " + name);
        return name;
    }

    private static Migrations migrations(final String db) {
        return Migrations.mariadb(server.port(), db, "app", PASSWORD);
    }

    private static MysqlBackupSpec spec(final String db) {
        return new MysqlBackupSpec(server.host(), server.port(), db, "app", "MY_PROD", null, null, null, null);
    }

    private static DataHead read(final String db, final DataSourceSpec source) {
        return DataHeads.reader(source, List.of(spec(db)), DataContexts.create(SECRETS)).read();
    }
}
