package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.ledger.SeenHead;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.testing.MariaDbServer;
import io.jenkins.plugins.rollbackguard.engine.testing.PostgresServer;

/**
 * Code rollbacks across real migrations: the real Flyway and the real Liquibase migrate a real PostgreSQL 15 (and a
 * real MariaDB) from the deploy body, as a deploy command or the application's start does; the guard runs as the
 * command line runs it ({@link GuardDriver#BLOCKING}: {@code GuardSession.run}, a nested guarded revert) and reads
 * the heads through the policy's database backup. The shop's v2 is broken, so its watch trips and the decision about
 * the data is what the test looks at.
 */
@Tag("slow")
class DataHeadGuardTest {
    private static final String PASSWORD = "pg-Guard-4711";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer postgres;

    @TempDir
    private Path temp;
    private GuardFixture fixture;
    private String db;
    private Path scripts;

    @BeforeAll
    static void startServer() {
        postgres = PostgresServer.start();
        postgres.createUserAndDatabase("app", PASSWORD, "postgres_app");
    }

    @AfterAll
    static void stopServer() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture = new GuardFixture(temp.resolve("guard"));
        db = "shop" + DATABASES.incrementAndGet();
        postgres.sql("postgres", "CREATE DATABASE %s OWNER app".formatted(db));
        scripts = Files.createDirectories(temp.resolve("db/migration"));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void shouldRefuseToDeployUntilThePolicyPicksOneOfTwoHistoriesFoundWithoutADataVersionField() throws Exception {
        Files.writeString(scripts.resolve("V1__create_orders.sql"), "CREATE TABLE orders (id int PRIMARY KEY);");
        MigrationTool.flyway(url(), "app", PASSWORD, scripts);
        Files.writeString(scripts.resolve("changelog.sql"), "--liquibase formatted sql\n--changeset shop:1\n"
                + "CREATE TABLE notes (id int);\n");
        MigrationTool.liquibaseUpdate(url(), "app", PASSWORD, scripts, "changelog.sql", null);

        GuardDriver.GuardRun run = GuardDriver.BLOCKING.start(fixture, services(), policy(), fixture.request("1"),
                fixture.body());

        org.assertj.core.api.Assertions.assertThatThrownBy(run::outcome).isInstanceOf(GuardRefusedException.class)
                .hasMessageContaining("found 2 migration history tables")
                .hasMessageContaining("public.flyway_schema_history (flyway)")
                .hasMessageContaining("public.databasechangelog (liquibase)")
                .hasMessageContaining("nothing was recorded or run").hasMessageNotContaining(PASSWORD);
        assertThat(fixture.points()).isEmpty();
        assertThat(fixture.bodiesStarted).hasValue(0);
    }

    @Test
    void shouldRollBackAcrossAnExpandMigrationWithAWarningThatTheSchemaStaysForward() throws Exception {
        Policy policy = policy("dataVersion: {migrations: '%s'}".formatted(scripts));
        deploy(policy, "1", Map.of("V1__create_orders.sql", "CREATE TABLE orders (id int PRIMARY KEY, note text);"));
        fixture.shop.breakVersion("2");

        GuardOutcome outcome = deploy(policy, "2", Map.of("V2__add_coupon.sql",
                "-- rollback-guard: expand\nALTER TABLE orders ADD COLUMN coupon text;"));

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERTED);
        assertThat(fixture.events(GuardEvent.Type.REVERT_STARTED)).singleElement().satisfies(e -> assertThat(e.text())
                .contains("WARNING: the schema stays forward at 2", "V2__add_coupon.sql", "declared backward compatible"));
        assertThat(fixture.events(GuardEvent.Type.REVERT_RESULT)).singleElement().satisfies(e -> assertThat(e.text())
                .contains("WARNING: the schema stays forward"));
        RollbackPoint bad = fixture.points().get(1);
        assertThat(bad.dataHeads()).extracting(SeenHead::phase).contains("before-deploy", "after-deploy", "watch-end",
                "trip");
        assertThat(bad.dataHeads()).extracting(h -> h.head().head()).startsWith("1", "2");
        assertThat(bad.dataHeads().get(1).expand()).as("the marker, read from the script at deploy time").containsExactly("2");
        assertThat(postgres.sql(db, "SELECT max(version) FROM flyway_schema_history").strip())
                .as("nothing was undone").isEqualTo("2");
        assertThat(fixture.shop.running()).isEqualTo("1");
    }

    @Test
    void shouldRefuseADestructiveMigrationWithNoDataVersionInThePolicy() throws Exception {
        Policy policy = policy(); // only the backup's connection
        deploy(policy, "1", Map.of("V1__create_orders.sql", "CREATE TABLE orders (id int PRIMARY KEY, note text);"));
        fixture.shop.breakVersion("2");

        GuardOutcome outcome = deploy(policy, "2", Map.of("V2__drop_note.sql", "ALTER TABLE orders DROP COLUMN note;"));

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.FROZEN);
        assertThat(fixture.points()).extracting(RollbackPoint::status).containsExactly(PointStatus.GOOD, PointStatus.BAD);
        assertThat(fixture.points()).extracting(RollbackPoint::dataVersion).containsExactly("1", "2");
        assertThat(fixture.events(GuardEvent.Type.MANUAL_DECISION)).singleElement().satisfies(e -> assertThat(e.text())
                .contains("data version changed from 1 (#1) to 2 (#2) through V2__drop_note.sql, not declared backward "
                        + "compatible"));
        assertThat(fixture.events(GuardEvent.Type.REVERT_STARTED)).isEmpty();
        assertThat(fixture.revertBodiesStarted).hasValue(0);
        assertThat(fixture.ledger.circuit(GuardFixture.ENV).isOpen()).isTrue();
    }

    @Test
    void shouldRestoreTheVerifiedBackupAfterDumpingTheDatabaseAsItIs() throws Exception {
        Policy policy = policy("allowDataRestore: true", "dataVersion: {businessTables: [orders]}");
        deploy(policy, "1", Map.of("V1__create_orders.sql", "CREATE TABLE orders (id int PRIMARY KEY, note text);"
                + "INSERT INTO orders VALUES (1, 'first'), (2, 'second');"));
        fixture.shop.breakVersion("2");

        GuardOutcome outcome = deploy(policy, "2", Map.of("V2__drop_note.sql", "ALTER TABLE orders DROP COLUMN note;"
                + "INSERT INTO orders VALUES (3);"));

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERTED);
        assertThat(postgres.sql(db, "SELECT id || ':' || note FROM orders ORDER BY id").strip())
                .as("the data equals the backup's").isEqualTo("1:first\n2:second");
        assertThat(postgres.sql(db, "SELECT max(version) FROM flyway_schema_history").strip())
                .as("the head is back at the target's").isEqualTo("1");
        RollbackPoint bad = fixture.points().get(1);
        String dump = bad.attributes().get(DataHeadObserver.PRE_RESTORE_DUMPS);
        assertThat(dump).isNotNull();
        BackupManifest kept = fixture.backups.find(dump).orElseThrow();
        assertThat(kept.usable()).as("verified like any backup").isTrue();
        assertThat(kept.label()).isEqualTo("pre-restore-2");
        assertThat(Files.size(fixture.dir.resolve("backups"))).isPositive();
        assertThat(bad.dataHeads()).extracting(SeenHead::phase).contains("after-restore");
        assertThat(String.join("\n", fixture.log)).contains("data-loss window: restoring postgres backup",
                "orders +1 (2 then, 3 now)");
        assertThat(fixture.events(GuardEvent.Type.REVERT_RESULT)).singleElement().satisfies(e -> assertThat(e.text())
                .contains("the database as it was before the restore is kept as backup " + dump));
    }

    @Test
    void shouldRunTheLiquibaseRollbackUndoAndCheckTheHeadCameBack() throws Exception {
        Policy policy = policy("dataVersion:", "  undo:", "    command: " + yamlList(MigrationTool.command(
                "liquibase-rollback", url(), "app", scripts.toString(), "changelog.sql", "v1")),
                "    secretEnvironment: {DB_PASSWORD: PG_PW}");
        String one = "--liquibase formatted sql\n--changeset shop:1\nCREATE TABLE orders (id int PRIMARY KEY, note text);\n"
                + "--rollback DROP TABLE orders;\n";
        String two = one + "--changeset shop:2\nALTER TABLE orders DROP COLUMN note;\n"
                + "--rollback ALTER TABLE orders ADD COLUMN note text;\n";
        deployLiquibase(policy, "1", one, "v1");
        fixture.shop.breakVersion("2");

        GuardOutcome outcome = deployLiquibase(policy, "2", two, null);

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERTED);
        assertThat(postgres.sql(db, "SELECT count(*) FROM databasechangelog").strip()).as("changeset 2 undone").isEqualTo("1");
        assertThat(postgres.sql(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' "
                + "AND column_name = 'note'").strip()).isEqualTo("note");
        RollbackPoint bad = fixture.points().get(1);
        assertThat(bad.dataHeads()).extracting(SeenHead::phase).contains("after-undo");
        assertThat(bad.lastHead().orElseThrow().head().head()).isEqualTo(fixture.points().get(0).lastHead().orElseThrow()
                .head().head());
        assertThat(String.join("\n", fixture.log)).contains("the data head is back at");
    }

    @Test
    void shouldFreezeWhenTheUndoLeavesTheHeadElsewhere() throws Exception {
        Policy policy = policy("dataVersion: {undo: {command: [/bin/true]}}");
        deploy(policy, "1", Map.of("V1__create_orders.sql", "CREATE TABLE orders (id int PRIMARY KEY, note text);"));
        fixture.shop.breakVersion("2");

        GuardOutcome outcome = deploy(policy, "2", Map.of("V2__drop_note.sql", "ALTER TABLE orders DROP COLUMN note;"));

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERT_FAILED);
        assertThat(fixture.events(GuardEvent.Type.MANUAL_DECISION)).singleElement().satisfies(e -> assertThat(e.text())
                .contains("the data undo ran, but the data head is 2, not 1 (the head of shop#1",
                        "the code was not rolled back"));
        assertThat(fixture.revertBodiesStarted).as("the code stays").hasValue(0);
        assertThat(fixture.shop.running()).isEqualTo("2");
        assertThat(fixture.ledger.circuit(GuardFixture.ENV).isOpen()).isTrue();
    }

    @Test
    void shouldSeeAMigrationTheApplicationRunsAtItsStart() throws Exception {
        Policy policy = fixture.policyWithProbe("{interval: 200ms, count: 5}", "\"< 0.9\"", backup());
        deploy(policy, "1", Map.of("V1__create_orders.sql", "CREATE TABLE orders (id int PRIMARY KEY, note text);"));
        migrations(Map.of("V2__drop_note.sql", "ALTER TABLE orders DROP COLUMN note;"));

        GuardOutcome outcome = GuardDriver.BLOCKING.start(fixture, services(), policy, fixture.request("2"),
                fixture.body(point -> startsAndMigrates(point))).outcome();

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.GOOD);
        RollbackPoint two = fixture.points().get(1);
        assertThat(two.dataHeads()).extracting(h -> h.phase() + "=" + h.head().head())
                .containsExactly("before-deploy=1", "after-deploy=1", "watch-end=2");
        assertThat(two.dataVersion()).as("the last head seen").isEqualTo("2");
    }

    @Test
    void shouldFreezeOnAHalfAppliedMigrationBeforeAnyRevert() throws Exception {
        try (MariaDbServer maria = MariaDbServer.start()) {
            maria.createUserAndDatabase("app", PASSWORD, "shop");
            String mariaUrl = "jdbc:mariadb://127.0.0.1:%d/shop".formatted(maria.port());
            Policy policy = fixture.policy("backups:", "  - type: mysql", "    host: " + maria.host(),
                    "    port: " + maria.port(), "    database: shop", "    user: app", "    passwordSecret: PG_PW");
            Path dir = Files.createDirectories(temp.resolve("maria"));
            Files.writeString(dir.resolve("V1__create_orders.sql"), "CREATE TABLE orders (id int PRIMARY KEY);");
            GuardDriver.BLOCKING.start(fixture, services(), policy, fixture.request("1"), fixture.body(point ->
                    MigrationTool.flyway(mariaUrl, "app", PASSWORD, dir))).outcome();
            Files.writeString(dir.resolve("V2__split.sql"), "CREATE TABLE names (id int);\nALTER TABLE nope ADD COLUMN x int;");

            GuardOutcome outcome = GuardDriver.BLOCKING.start(fixture, services(), policy, fixture.request("2"),
                    fixture.body(point -> MigrationTool.flyway(mariaUrl, "app", PASSWORD, dir))).outcome();

            assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.FROZEN);
            assertThat(fixture.events(GuardEvent.Type.MANUAL_DECISION)).singleElement().satisfies(e -> assertThat(e.text())
                    .contains("V2__split.sql", "success = false", "frozen before any revert"));
            assertThat(fixture.revertBodiesStarted).hasValue(0);
            assertThat(fixture.ledger.circuit(GuardFixture.ENV).isOpen()).isTrue();
        }
    }

    /** The body of v2: the deploy command returns, then the application migrates as it starts (after the read). */
    private void startsAndMigrates(final RollbackPoint point) {
        Thread start = new Thread(() -> {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline && fixture.ledger.point(GuardFixture.ENV, point.id()).dataHeads().stream()
                    .noneMatch(h -> h.phase().equals("after-deploy"))) {
                try {
                    Thread.sleep(20);
                }
                catch (InterruptedException e) {
                    return;
                }
            }
            MigrationTool.flyway(url(), "app", PASSWORD, scripts);
        }, "application-start");
        start.setDaemon(true);
        start.start();
    }

    private GuardOutcome deploy(final Policy policy, final String version, final Map<String, String> files)
            throws Exception {
        return GuardDriver.BLOCKING.start(fixture, services(), policy, fixture.request(version), fixture.body(point -> {
            migrations(files);
            MigrationTool.flyway(url(), "app", PASSWORD, scripts);
        })).outcome();
    }

    private GuardOutcome deployLiquibase(final Policy policy, final String version, final String changelog,
                                         final String tag) throws Exception {
        return GuardDriver.BLOCKING.start(fixture, services(), policy, fixture.request(version), fixture.body(point -> {
            try {
                Files.writeString(scripts.resolve("changelog.sql"), changelog);
                MigrationTool.liquibaseUpdate(url(), "app", PASSWORD, scripts, "changelog.sql", tag);
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).outcome();
    }

    private void migrations(final Map<String, String> files) {
        files.forEach((name, text) -> {
            try {
                Files.writeString(scripts.resolve(name), text);
            }
            catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private Policy policy(final String... extra) {
        String[] all = new String[extra.length + 1];
        all[0] = backup();
        System.arraycopy(extra, 0, all, 1, extra.length);
        return fixture.policy(all);
    }

    private String backup() {
        return "backups:\n  - type: postgres\n    host: 127.0.0.1\n    port: %d\n    database: %s\n    user: app\n"
                .formatted(postgres.port(), db) + "    passwordSecret: PG_PW";
    }

    private String url() {
        return "jdbc:postgresql://127.0.0.1:%d/%s".formatted(postgres.port(), db);
    }

    private GuardServices services() {
        GuardServices base = fixture.services();
        return new GuardServices(base.ledger(), base.backups(), base.artifacts(), SecretSource.of(Map.of("PG_PW",
                PASSWORD)), base.runner(), base.scheduler(), base.executor(), base.listener(), base.notifier(),
                base.leases());
    }

    private static String yamlList(final List<String> items) {
        return items.stream().map(item -> "'" + item.replace("'", "''") + "'")
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }
}
