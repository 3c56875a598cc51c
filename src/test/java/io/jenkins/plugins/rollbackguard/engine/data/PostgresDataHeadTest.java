package io.jenkins.plugins.rollbackguard.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.testing.PostgresServer;

/** Reads data heads written by the real Flyway and Liquibase into a real PostgreSQL 15, through psql. */
@Tag("slow")
class PostgresDataHeadTest {
    private static final String PASSWORD = "pg-Data-4711";
    private static final Map<String, String> SECRETS = Map.of("PG_PROD", PASSWORD);
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
    void shouldReadHighestFlywayVersionAndWhatCameSince() {
        String db = database("fly");
        Path scripts = Migrations.scripts(temp.resolve("sql"), Map.of(
                "V1__create_items.sql", "CREATE TABLE items (id int PRIMARY KEY, name text);",
                "V2__add_price.sql", "ALTER TABLE items ADD COLUMN price numeric;"));
        flyway(db).flyway(scripts);

        DataHead before = read(db, DataSourceSpec.database());
        Migrations.scripts(scripts, Map.of("V10__add_notes.sql", "CREATE TABLE notes (id int);"));
        flyway(db).flyway(scripts);
        DataHead after = read(db, DataSourceSpec.database());

        assertThat(before.tool()).isEqualTo("flyway");
        assertThat(before.table()).isEqualTo("public.flyway_schema_history");
        assertThat(before.head()).isEqualTo("2");
        assertThat(before.halfApplied()).isNull();
        assertThat(before.applied()).extracting(Migration::script)
                .containsExactly("V1__create_items.sql", "V2__add_price.sql");
        assertThat(after.head()).as("10 sorts after 2 as a number").isEqualTo("10");
        assertThat(after.since(before)).extracting(Migration::id).containsExactly("10");
        assertThat(after.since(after)).isEmpty();
    }

    @Test
    void shouldChangeHeadWhenRepeatableMigrationChanges() {
        String db = database("repeat");
        Path scripts = Migrations.scripts(temp.resolve("sql"), Map.of(
                "V1__create_items.sql", "CREATE TABLE items (id int PRIMARY KEY, name text);",
                "R__item_names.sql", "CREATE OR REPLACE VIEW item_names AS SELECT name FROM items;"));
        flyway(db).flyway(scripts);
        DataHead first = read(db, DataSourceSpec.database());

        Migrations.scripts(scripts, Map.of("R__item_names.sql",
                "CREATE OR REPLACE VIEW item_names AS SELECT name, id FROM items;"));
        flyway(db).flyway(scripts);
        DataHead second = read(db, DataSourceSpec.database());

        assertThat(first.head()).startsWith("1+r:");
        assertThat(second.head()).startsWith("1+r:").isNotEqualTo(first.head());
        assertThat(second.since(first)).singleElement()
                .satisfies(m -> assertThat(m.repeatable()).isTrue())
                .satisfies(m -> assertThat(m.script()).isEqualTo("R__item_names.sql"));
    }

    /**
     * Flyway 13 (open source) records no row for a failed migration on PostgreSQL, even a non-transactional one:
     * the head stays at the last good version and nothing is half-applied to see (MysqlDataHeadTest shows the
     * half-applied case, where MariaDB's DDL cannot be rolled back).
     */
    @Test
    void shouldKeepLastGoodVersionWhenFlywayMigrationFails() {
        String db = database("failed");
        Path scripts = Migrations.scripts(temp.resolve("sql"), Map.of(
                "V1__create_items.sql", "CREATE TABLE items (id int PRIMARY KEY, name text);",
                "V2__index_items.sql", "CREATE INDEX CONCURRENTLY items_missing ON items (no_such_column);"));
        assertThatThrownBy(() -> flyway(db).flyway(scripts)).isInstanceOf(FlywayException.class);

        DataHead head = read(db, DataSourceSpec.database());

        assertThat(head.head()).isEqualTo("1");
        assertThat(head.applied()).extracting(Migration::script).containsExactly("V1__create_items.sql");
        assertThat(head.halfApplied()).isNull();
    }

    @Test
    void shouldFindFlywayHistoryInAnotherSchema() {
        String db = database("schema");
        Path scripts = Migrations.scripts(temp.resolve("sql"), Map.of(
                "V1__create_items.sql", "CREATE TABLE items (id int PRIMARY KEY);"));
        flyway(db).flyway(scripts, "inventory");

        DataHead head = read(db, DataSourceSpec.database());

        assertThat(head.table()).isEqualTo("inventory.flyway_schema_history");
        assertThat(head.head()).isEqualTo("1");
    }

    @Test
    void shouldReadRenamedHistoryTableByItsColumnsAndRefuseAnUnknownOne() {
        String db = database("renamed");
        flyway(db).flywayWithTable(Migrations.scripts(temp.resolve("sql"), Map.of(
                "V1__create_items.sql", "CREATE TABLE items (id int PRIMARY KEY);",
                "V2__create_notes.sql", "CREATE TABLE notes (id int PRIMARY KEY);")), "deploy_history");

        DataHead head = read(db, new DataSourceSpec("database", null, null, "deploy_history", null, null));

        assertThat(read(db, DataSourceSpec.database()).isNone()).as("not a default name").isTrue();
        assertThat(head.tool()).isEqualTo("flyway");
        assertThat(head.table()).isEqualTo("public.deploy_history");
        assertThat(head.head()).isEqualTo("2");
        assertThatThrownBy(() -> read(db, new DataSourceSpec("database", null, null, "public.items", null, null)))
                .isInstanceOf(DataHeadException.class)
                .hasMessageStartingWith("dataVersion.table: public.items has the columns of no known migration tool");
        assertThatThrownBy(() -> read(db, new DataSourceSpec("database", null, "liquibase", "deploy_history", null,
                null))).hasMessageContaining("(not those of liquibase)");
        assertThatThrownBy(() -> read(db, new DataSourceSpec("database", null, null, "nowhere.history", null, null)))
                .hasMessageStartingWith("dataVersion.table: 'nowhere.history' was not found in postgres://app@");
    }

    @Test
    void shouldReadLiquibaseLastChangesetTagAndLabels() {
        String db = database("liqui");
        Path dir = Migrations.scripts(temp.resolve("lb"), Map.of("changelog.sql", """
                --liquibase formatted sql
                --changeset alice:1
                CREATE TABLE items (id int PRIMARY KEY, name text);
                --changeset alice:2 labels:expand
                ALTER TABLE items ADD COLUMN price numeric;
                """));
        Migrations liquibase = flyway(db);
        liquibase.liquibase(dir, "changelog.sql", "v1");
        DataHead tagged = read(db, DataSourceSpec.database());
        Migrations.scripts(dir, Map.of("changelog.sql", """
                --liquibase formatted sql
                --changeset alice:1
                CREATE TABLE items (id int PRIMARY KEY, name text);
                --changeset alice:2 labels:expand
                ALTER TABLE items ADD COLUMN price numeric;
                --changeset bob:3 context:expand
                CREATE TABLE notes (id int);
                """));
        liquibase.liquibase(dir, "changelog.sql", null);
        DataHead later = read(db, DataSourceSpec.database());

        assertThat(tagged.tool()).isEqualTo("liquibase");
        assertThat(tagged.table()).isEqualTo("public.databasechangelog");
        assertThat(tagged.head()).isEqualTo("2::alice::changelog.sql@v1");
        assertThat(tagged.applied()).filteredOn(m -> m.hasLabel("expand")).extracting(Migration::id)
                .containsExactly("2");
        assertThat(tagged.last().tag()).isEqualTo("v1");
        assertThat(later.head()).isEqualTo("3::bob::changelog.sql@v1");
        assertThat(later.since(tagged)).singleElement()
                .satisfies(m -> assertThat(m.labels()).containsExactly("expand"))
                .satisfies(m -> assertThat(m.author()).isEqualTo("bob"));
        assertThat(later.halfApplied()).isNull();
    }

    @Test
    void shouldCallLiquibaseLockHeldPastTimeoutHalfApplied() {
        String db = database("locked");
        Path dir = Migrations.scripts(temp.resolve("lb"), Map.of("changelog.sql", """
                --liquibase formatted sql
                --changeset alice:1
                CREATE TABLE items (id int PRIMARY KEY);
                """));
        Migrations liquibase = flyway(db);
        liquibase.liquibase(dir, "changelog.sql", null);
        liquibase.holdLiquibaseLock();

        DataHead fresh = read(db, DataSourceSpec.database());
        DataSourceSpec quick = new DataSourceSpec("database", null, null, null, "1s", null);

        assertThat(fresh.halfApplied()).as("held for less than the default 10m").isNull();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> read(db, quick).halfApplied() != null);
        assertThat(read(db, quick).halfApplied()).contains("public.databasechangeloglock").contains("held by")
                .contains("longer than lockTimeout 1s");
    }

    @Test
    void shouldRefuseTwoHistoryTablesAndNameBothUntilPolicyPicksOne() {
        String db = database("twotables");
        flyway(db).flyway(Migrations.scripts(temp.resolve("sql"), Map.of(
                "V1__create_items.sql", "CREATE TABLE items (id int PRIMARY KEY);")));
        flyway(db).liquibase(Migrations.scripts(temp.resolve("lb"), Map.of("changelog.sql", """
                --liquibase formatted sql
                --changeset alice:1
                CREATE TABLE notes (id int);
                """)), "changelog.sql", null);

        assertThatThrownBy(() -> read(db, DataSourceSpec.database())).isInstanceOf(DataHeadException.class)
                .hasMessageContaining("found 2 migration history tables")
                .hasMessageContaining("public.flyway_schema_history (flyway)")
                .hasMessageContaining("public.databasechangelog (liquibase)")
                .hasMessageContaining("dataVersion: {source: database, table: ");
        assertThat(read(db, new DataSourceSpec("database", null, null, "public.databasechangelog", null, null)).head())
                .isEqualTo("1::alice::changelog.sql");
        assertThat(read(db, new DataSourceSpec("database", null, "flyway", null, null, null)).head()).isEqualTo("1");
    }

    @Test
    void shouldReadNoMigrationHistoryAsHeadNone() {
        String db = database("empty");
        asApp(db, "CREATE TABLE schema_migrations (version varchar(20) PRIMARY KEY)"); // Rails: no 'dirty'

        DataHead head = read(db, DataSourceSpec.database());

        assertThat(head.isNone()).isTrue();
        assertThat(head.head()).isEqualTo(DataHead.NONE);
        assertThat(head.describe()).startsWith("no migration history");
    }

    @Test
    void shouldReadGolangMigrateDirtyAlembicAndPrismaTables() {
        String dirty = database("golang");
        asApp(dirty, "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
                + "INSERT INTO schema_migrations VALUES (3, true)");
        String alembic = database("alembic");
        asApp(alembic, "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);"
                + "INSERT INTO alembic_version VALUES ('ae1027a6acf')");
        String prisma = database("prisma");
        asApp(prisma, "CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL,"
                + " finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz,"
                + " started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count int NOT NULL DEFAULT 0);"
                + "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at) VALUES "
                + "('a', 'c1', now(), '20260101_init', now() - interval '2 days'),"
                + "('b', 'c2', NULL, '20260202_add_notes', now() - interval '1 day')");

        DataHead golang = read(dirty, DataSourceSpec.database());
        DataHead alembicHead = read(alembic, DataSourceSpec.database());
        DataHead prismaHead = read(prisma, DataSourceSpec.database());

        assertThat(golang.tool()).isEqualTo("golang-migrate");
        assertThat(golang.head()).isEqualTo("3");
        assertThat(golang.halfApplied()).contains("migration 3 is dirty").contains("public.schema_migrations");
        assertThat(alembicHead.tool()).isEqualTo("alembic");
        assertThat(alembicHead.head()).isEqualTo("ae1027a6acf");
        assertThat(alembicHead.halfApplied()).isNull();
        assertThat(prismaHead.head()).isEqualTo("20260101_init");
        assertThat(prismaHead.halfApplied()).contains("20260202_add_notes").contains("did not finish");
    }

    @Test
    void shouldReadQuerySourceAndRefuseMoreThanOneRow() {
        String db = database("query");
        asApp(db, "CREATE TABLE app_meta (k text, v text); INSERT INTO app_meta VALUES ('schema', ' 42 '), "
                + "('other', 'x')");

        DataHead head = read(db, DataSourceSpec.query("SELECT v FROM app_meta WHERE k = 'schema'"));

        assertThat(head.tool()).isEqualTo("query");
        assertThat(head.head()).isEqualTo("42");
        assertThatThrownBy(() -> read(db, DataSourceSpec.query("SELECT v FROM app_meta")))
                .isInstanceOf(DataHeadException.class).hasMessageContaining("returned 2 rows");
        assertThatThrownBy(() -> read(db, DataSourceSpec.query("SELECT k, v FROM app_meta WHERE k = 'other'")))
                .isInstanceOf(DataHeadException.class).hasMessageContaining("returned 2 columns");
        assertThatThrownBy(() -> read(db, DataSourceSpec.query("SELECT max(v) FROM app_meta WHERE k = 'none'")))
                .isInstanceOf(DataHeadException.class).hasMessageContaining("returned no value");
        assertThatThrownBy(() -> read(db, DataSourceSpec.query("SELECT v FROM no_such_table")))
                .isInstanceOf(DataHeadException.class).hasMessageContaining("dataVersion.sql: the query failed")
                .hasMessageContaining("no_such_table");
    }

    @Test
    void shouldKeepPasswordOutOfMessagesAndCommandLines() {
        String db = database("secret");
        List<CommandRequest> requests = new ArrayList<>();
        DataHeads.reader(DataSourceSpec.database(), spec(db), DataContexts.recording(SECRETS, requests)).read();

        assertThat(requests).isNotEmpty().allSatisfy(request -> {
            assertThat(request.command()).noneMatch(arg -> arg.contains(PASSWORD));
            assertThat(request.environment()).doesNotContainValue(PASSWORD);
        });
        assertThatThrownBy(() -> DataHeads.reader(DataSourceSpec.database(), spec(db),
                DataContexts.create(Map.of("PG_PROD", "wrong-" + PASSWORD))).read())
                .isInstanceOf(DataHeadException.class).hasMessageContaining("password authentication failed")
                .hasMessageNotContaining(PASSWORD);
        assertThatThrownBy(() -> DataHeads.reader(DataSourceSpec.database(), spec(db),
                DataContexts.create(Map.of())).read())
                .isInstanceOf(DataHeadException.class).hasMessageContaining("passwordSecret")
                .hasMessageContaining("PG_PROD");
    }

    private String database(final String name) {
        server.sql("postgres", "CREATE DATABASE %s OWNER app".formatted(name));
        return name;
    }

    /** Runs SQL as the application's role, so that the tables it creates belong to it as migrated ones do. */
    private static void asApp(final String db, final String sql) {
        server.sql(db, "SET ROLE app; " + sql);
    }

    private Migrations flyway(final String db) {
        return Migrations.postgres(server.port(), db, "app", PASSWORD);
    }

    private static PostgresBackupSpec spec(final String db) {
        return new PostgresBackupSpec(server.host(), server.port(), db, "app", "PG_PROD", null, null, null);
    }

    private static DataHead read(final String db, final DataSourceSpec source) {
        return DataHeads.reader(source, List.of(spec(db)), DataContexts.create(SECRETS)).read();
    }
}
