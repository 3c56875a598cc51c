package io.jenkins.plugins.rollbackguard.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;

import hudson.model.Result;
import hudson.util.Secret;

import io.jenkins.plugins.rollbackguard.engine.guard.MigrationTool;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.SeenHead;
import io.jenkins.plugins.rollbackguard.engine.testing.PostgresServer;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * The data decisions through the Pipeline step, whose body runs the real Flyway on a real PostgreSQL 15 and deploys
 * through the {@link HealthServer}: a rollback across a destructive migration with no {@code dataVersion} field is
 * refused (no reverting build); one across a migration declared expand goes ahead with the warning that the schema
 * stays forward; one across a destructive migration with {@code allowDataRestore: true} restores the verified backup
 * after dumping the database as it is. Never run here (JenkinsRule); each method names its engine twin in
 * {@code io.jenkins.plugins.rollbackguard.engine.guard.DataHeadGuardTest}, run by CI (the same policy, migrations
 * and decision through {@code GuardSession}). A reverting build deploys the target's code, which brings no migration
 * of its own: its body runs none ({@code ROLLBACK_GUARD_IS_ROLLBACK}), as the twin's revert body runs none.
 */
@WithJenkins
@Tag("slow")
class DataHeadStepITest {
    private static final String PASSWORD = "pg-Step-4711";

    @TempDir
    private Path temp;

    /**
     * Engine twin: {@code DataHeadGuardTest#shouldRefuseADestructiveMigrationWithNoDataVersionInThePolicy}.
     */
    @Test
    void shouldRefuseTheRollbackAcrossADestructiveMigrationWithNoDataVersionInThePolicy(final JenkinsRule j)
            throws Exception {
        try (PostgresServer postgres = PostgresServer.start(); HealthServer service = new HealthServer()) {
            postgres.createUserAndDatabase("app", PASSWORD, "shop");
            addPassword();
            Path scripts = Files.createDirectories(temp.resolve("migration"));
            Files.writeString(scripts.resolve("V1__create_orders.sql"), "CREATE TABLE orders (id int PRIMARY KEY, note text);");
            WorkflowJob job = Pipelines.createJob(j, "app", pipeline(postgres, service, scripts));
            j.buildAndAssertSuccess(job);
            Files.writeString(scripts.resolve("V2__drop_note.sql"), "ALTER TABLE orders DROP COLUMN note;");
            service.unhealthy();

            WorkflowRun bad = j.buildAndAssertStatus(Result.FAILURE, job);
            j.waitUntilNoActivity();

            assertThat(job.getLastBuild().getNumber()).as("no reverting build").isEqualTo(bad.getNumber());
            j.assertLogContains("through V2__drop_note.sql, not declared backward compatible", bad);
            assertThat(Pipelines.pointOf(1).dataVersion()).isEqualTo("1");
            assertThat(Pipelines.pointOf(2).dataVersion()).isEqualTo("2");
            assertThat(Pipelines.pointOf(2).status()).isEqualTo(PointStatus.BAD);
            assertThat(new LedgerFacade().getLedger().circuit(EnvironmentName.of(Pipelines.ENVIRONMENT)).isOpen()).isTrue();
        }
    }

    /**
     * Engine twin: {@code DataHeadGuardTest#shouldRollBackAcrossAnExpandMigrationWithAWarningThatTheSchemaStaysForward}.
     */
    @Test
    void shouldRollBackAcrossAnExpandMigrationWithAWarningThatTheSchemaStaysForward(final JenkinsRule j)
            throws Exception {
        try (PostgresServer postgres = PostgresServer.start(); HealthServer service = new HealthServer()) {
            postgres.createUserAndDatabase("app", PASSWORD, "shop");
            addPassword();
            Path scripts = Files.createDirectories(temp.resolve("migration"));
            Files.writeString(scripts.resolve("V1__create_orders.sql"), "CREATE TABLE orders (id int PRIMARY KEY, note text);");
            WorkflowJob job = Pipelines.createJob(j, "app", pipeline(postgres, service, scripts,
                    "dataVersion: {migrations: '%s'}".formatted(scripts)));
            j.buildAndAssertSuccess(job);
            Files.writeString(scripts.resolve("V2__add_coupon.sql"),
                    "-- rollback-guard: expand\nALTER TABLE orders ADD COLUMN coupon text;");
            service.nextDeployAnswersBadly(1); // v2 answers badly once after its deploy: its watch trips

            WorkflowRun bad = j.buildAndAssertStatus(Result.FAILURE, job);
            j.waitUntilNoActivity();

            WorkflowRun revert = job.getBuildByNumber(3);
            assertThat(revert).as("the reverting build").isNotNull();
            j.assertBuildStatusSuccess(revert);
            assertThat(revert.getCause(RollbackCause.class)).isNotNull();
            assertThat(revert.getCause(RollbackCause.class).getBadBuild()).isEqualTo(bad.getNumber());
            assertThat(revert.getCause(RollbackCause.class).getTargetBuild()).isEqualTo(1);
            j.assertLogContains("deploying v1 rollback=true", revert);
            j.assertLogContains("WARNING: the schema stays forward at 2", bad);
            j.assertLogContains("since V2__add_coupon.sql is declared backward compatible (expand)", bad);
            assertThat(Pipelines.pointOf(2).dataHeads()).extracting(SeenHead::phase)
                    .contains("before-deploy", "after-deploy", "trip");
            assertThat(Pipelines.pointOf(2).dataHeads()).extracting(h -> h.head().head()).startsWith("1", "2");
            assertThat(Pipelines.pointOf(2).dataHeads().get(1).expand()).as("the marker, read from the script at "
                    + "deploy time").containsExactly("2");
            assertThat(postgres.sql("shop", "SELECT max(version) FROM flyway_schema_history").strip())
                    .as("nothing was undone").isEqualTo("2");
        }
    }

    /**
     * Engine twin: {@code DataHeadGuardTest#shouldRestoreTheVerifiedBackupAfterDumpingTheDatabaseAsItIs}.
     */
    @Test
    void shouldRestoreTheVerifiedBackupAfterDumpingTheDatabaseAsItIs(final JenkinsRule j) throws Exception {
        try (PostgresServer postgres = PostgresServer.start(); HealthServer service = new HealthServer()) {
            postgres.createUserAndDatabase("app", PASSWORD, "shop");
            addPassword();
            Path scripts = Files.createDirectories(temp.resolve("migration"));
            Files.writeString(scripts.resolve("V1__create_orders.sql"), "CREATE TABLE orders (id int PRIMARY KEY, note text);"
                    + "INSERT INTO orders VALUES (1, 'first'), (2, 'second');");
            WorkflowJob job = Pipelines.createJob(j, "app", pipeline(postgres, service, scripts,
                    "allowDataRestore: true", "dataVersion: {businessTables: [orders]}"));
            j.buildAndAssertSuccess(job);
            Files.writeString(scripts.resolve("V2__drop_note.sql"), "ALTER TABLE orders DROP COLUMN note;"
                    + "INSERT INTO orders VALUES (3);");
            service.nextDeployAnswersBadly(1); // v2 answers badly once after its deploy: its watch trips

            WorkflowRun bad = j.buildAndAssertStatus(Result.FAILURE, job);
            j.waitUntilNoActivity();

            WorkflowRun revert = job.getBuildByNumber(3);
            assertThat(revert).as("the reverting build").isNotNull();
            j.assertBuildStatusSuccess(revert);
            assertThat(revert.getCause(RollbackCause.class)).isNotNull();
            j.assertLogContains("deploying v1 rollback=true", revert);
            assertThat(postgres.sql("shop", "SELECT id || ':' || note FROM orders ORDER BY id").strip())
                    .as("the data equals the backup's").isEqualTo("1:first\n2:second");
            assertThat(postgres.sql("shop", "SELECT max(version) FROM flyway_schema_history").strip())
                    .as("the head is back at the target's").isEqualTo("1");
            String dump = Pipelines.pointOf(2).attributes().get("data.preRestoreDumps"); // DataHeadObserver.PRE_RESTORE_DUMPS
            assertThat(dump).as("the database as it was before the restore, kept").isNotBlank();
            assertThat(Pipelines.pointOf(2).dataHeads()).extracting(SeenHead::phase).contains("after-restore");
            j.assertLogContains("data-loss window: restoring postgres backup", bad);
            j.assertLogContains("orders +1 (2 then, 3 now)", bad);
            j.assertLogContains("as it is before the restore: backup " + dump, bad);
            j.assertLogContains("the data head is back at 1", bad); // DataRollback.afterRestore
        }
    }

    private static void addPassword() {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "PG_PW", "shop database", Secret.fromString(PASSWORD)));
    }

    private static String pipeline(final PostgresServer postgres, final HealthServer service, final Path scripts,
                                   final String... policyLines) {
        String migrate = MigrationTool.command("flyway", "jdbc:postgresql://127.0.0.1:%d/shop".formatted(postgres.port()),
                "app", scripts.toString()).stream().map(arg -> "'" + arg.replace("'", "'\"'\"'") + "'")
                .collect(Collectors.joining(" "));
        String policy = """
                environment: %s
                probes:
                  - {type: http, name: health, url: '%s', jsonPointer: /rate, failIf: '< 0.9', analysis: {interval: 1s, count: 2}}
                backups:
                  - {type: postgres, host: 127.0.0.1, port: %d, database: shop, user: app, passwordSecret: PG_PW}
                """.formatted(Pipelines.ENVIRONMENT, service.url(), postgres.port()) + String.join("\n", policyLines);
        return """
                node {
                  if (currentBuild.getBuildCauses('io.jenkins.plugins.rollbackguard.steps.RollbackCause').isEmpty()) {
                    writeFile file: 'app.txt', text: "v${env.BUILD_NUMBER}"
                    archiveArtifacts 'app.txt'
                  }
                  writeFile file: 'policy.yaml', text: '''%s'''
                  withRollbackGuard(policy: 'policy.yaml') {
                    echo "deploying ${readFile 'app.txt'} rollback=${env.ROLLBACK_GUARD_IS_ROLLBACK}"
                    if (env.ROLLBACK_GUARD_IS_ROLLBACK != 'true') { // the target's code brings no migration of its own
                      withEnv(['DB_PASSWORD=%s']) { // the test's own password: credentials-binding is no test dependency
                        sh '''%s'''
                      }
                    }
                    %s
                  }
                }
                """.formatted(policy, PASSWORD, migrate, service.deployStep());
    }
}
