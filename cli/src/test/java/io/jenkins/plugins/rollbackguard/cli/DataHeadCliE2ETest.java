package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.guard.MigrationTool;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.testing.PostgresServer;

/**
 * The data decisions through the command line, on a real PostgreSQL 15 migrated by the real Flyway (the deploy
 * command runs it): {@code deploy --dry-run} shows the pending destructive migration and that a revert after it would
 * be refused; the deploy that trips is refused its revert, naming the migration; the operator's data-version override
 * ({@code rollback --across-data-version}) still decides.
 */
@Tag("slow")
class DataHeadCliE2ETest {
    private static final String PASSWORD = "pg-Cli-4711";
    private static PostgresServer postgres;

    @TempDir
    private Path work;

    @BeforeAll
    static void startServer() {
        postgres = PostgresServer.start();
        postgres.createUserAndDatabase("app", PASSWORD, "shop");
    }

    @AfterAll
    static void stopServer() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void shouldShowRefuseAndLetThePersonDecideARollbackAcrossADestructiveMigration() throws Exception {
        CliProcess cli = new CliProcess(work.resolve("home"));
        Path scripts = Files.createDirectories(work.resolve("db/migration"));
        Path broken = work.resolve("broken");
        String url = "jdbc:postgresql://127.0.0.1:%d/shop".formatted(postgres.port());
        Files.writeString(scripts.resolve("V1__create_orders.sql"), "CREATE TABLE orders (id int PRIMARY KEY, note text);");
        MigrationTool.flyway(url, "app", PASSWORD, scripts);
        Path policy = Files.writeString(work.resolve("policy.yaml"), """
                environment: shop
                probes:
                  - {type: command, name: check, command: [/bin/sh, -c, 'test ! -f %s'], analysis: {interval: 100ms, count: 2}}
                backups:
                  - {type: postgres, host: 127.0.0.1, port: %d, database: shop, user: app, passwordSecret: PG_PW}
                dataVersion: {migrations: '%s'}
                deploySecretEnvironment: {DB_PASSWORD: PG_PW}
                """.formatted(broken, postgres.port(), scripts));
        Path artifact = Files.writeString(work.resolve("app.txt"), "v1");
        CliProcess.Result adopted = cli.run(env -> env.put("PG_PW", PASSWORD), "adopt", "--policy", policy.toString(),
                "--artifact", artifact.toString(), "--", "true");
        assertThat(adopted.exit()).as(adopted.output()).isZero();
        Files.writeString(scripts.resolve("V2__drop_note.sql"), "ALTER TABLE orders DROP COLUMN note;");
        String[] deploy = deploy(policy, artifact, url, scripts);

        CliProcess.Result planned = cli.run(env -> env.put("PG_PW", PASSWORD), withDryRun(deploy));

        assertThat(planned.exit()).as(planned.output()).isZero();
        assertThat(planned.output()).contains("data version: flyway public.flyway_schema_history at 1 now (1 at shop#1",
                "pending [V2__drop_note.sql]; not declared backward compatible: [V2__drop_note.sql], so a revert after "
                        + "them would be refused");
        assertThat(postgres.sql("shop", "SELECT max(version) FROM flyway_schema_history").strip()).isEqualTo("1");

        Files.writeString(broken, "v2 breaks the check");
        CliProcess.Result tripped = cli.run(env -> env.put("PG_PW", PASSWORD), deploy);

        assertThat(tripped.exit()).as(tripped.output()).isNotZero();
        assertThat(tripped.output()).contains("through V2__drop_note.sql, not declared backward compatible")
                .doesNotContain(PASSWORD);
        assertThat(point(2).status()).isEqualTo(PointStatus.BAD);
        assertThat(point(2).dataHeads()).extracting(h -> h.phase() + "=" + h.head().head())
                .startsWith("before-deploy=1", "after-deploy=2");

        Files.delete(broken);
        CliProcess.Result decided = cli.run(env -> env.put("PG_PW", PASSWORD), "rollback", "--env", "shop", "--to", "1",
                "--across-data-version", "--reason", "the old code never reads the note column");

        assertThat(decided.exit()).as(decided.output()).isZero();
        assertThat(decided.output()).contains("data-loss window: none restored");
        assertThat(point(2).status()).isEqualTo(PointStatus.REVERTED);
        assertThat(point(2).dataHeads()).extracting(h -> h.phase()).contains("rollback");
        assertThat(postgres.sql("shop", "SELECT max(version) FROM flyway_schema_history").strip())
                .as("the person chose to keep the data as it is").isEqualTo("2");
    }

    private String[] deploy(final Path policy, final Path artifact, final String url, final Path scripts) {
        String migrate = MigrationTool.command("flyway", url, "app", scripts.toString()).stream()
                .map(arg -> "'" + arg.replace("'", "'\"'\"'") + "'").collect(Collectors.joining(" "));
        return new String[] {"deploy", "--policy", policy.toString(), "--artifact", artifact.toString(), "--",
            "/bin/sh", "-c", migrate};
    }

    private static String[] withDryRun(final String[] deploy) {
        List<String> args = new java.util.ArrayList<>(List.of(deploy));
        args.add(args.indexOf("--"), "--dry-run");
        return args.toArray(String[]::new);
    }

    private RollbackPoint point(final long id) throws IOException {
        return Ledger.open(work.resolve("home/ledger")).point(EnvironmentName.of("shop"), id);
    }
}
