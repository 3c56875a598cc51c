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
import io.jenkins.plugins.rollbackguard.engine.testing.PostgresServer;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * The data decisions through the Pipeline step: a policy with a PostgreSQL backup and no {@code dataVersion} field,
 * whose body runs the real Flyway on a real PostgreSQL 15, refuses the rollback across a destructive migration and
 * schedules no reverting build. Never run here (JenkinsRule); its engine twin, run by CI, is
 * {@code io.jenkins.plugins.rollbackguard.engine.guard.DataHeadGuardTest#shouldRefuseADestructiveMigrationWithNoDataVersionInThePolicy}
 * (the same policy, migrations and decision through {@code GuardSession}).
 */
@WithJenkins
@Tag("slow")
class DataHeadStepITest {
    private static final String PASSWORD = "pg-Step-4711";

    @TempDir
    private Path temp;

    @Test
    void shouldRefuseTheRollbackAcrossADestructiveMigrationWithNoDataVersionInThePolicy(final JenkinsRule j)
            throws Exception {
        try (PostgresServer postgres = PostgresServer.start(); HealthServer service = new HealthServer()) {
            postgres.createUserAndDatabase("app", PASSWORD, "shop");
            SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                    CredentialsScope.GLOBAL, "PG_PW", "shop database", Secret.fromString(PASSWORD)));
            Path scripts = Files.createDirectories(temp.resolve("migration"));
            Files.writeString(scripts.resolve("V1__create_orders.sql"), "CREATE TABLE orders (id int PRIMARY KEY, note text);");
            WorkflowJob job = Pipelines.createJob(j, "app", pipeline(postgres, service.url(), scripts));
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

    private static String pipeline(final PostgresServer postgres, final String url, final Path scripts) {
        String migrate = MigrationTool.command("flyway", "jdbc:postgresql://127.0.0.1:%d/shop".formatted(postgres.port()),
                "app", scripts.toString()).stream().map(arg -> "'" + arg.replace("'", "'\"'\"'") + "'")
                .collect(Collectors.joining(" "));
        String policy = """
                environment: %s
                probes:
                  - {type: http, name: health, url: '%s', jsonPointer: /rate, failIf: '< 0.9', analysis: {interval: 1s, count: 2}}
                backups:
                  - {type: postgres, host: 127.0.0.1, port: %d, database: shop, user: app, passwordSecret: PG_PW}
                """.formatted(Pipelines.ENVIRONMENT, url, postgres.port());
        return """
                node {
                  writeFile file: 'app.txt', text: "v${env.BUILD_NUMBER}"
                  archiveArtifacts 'app.txt'
                  writeFile file: 'policy.yaml', text: '''%s'''
                  withRollbackGuard(policy: 'policy.yaml') {
                    withEnv(['DB_PASSWORD=%s']) { // the test's own password: credentials-binding is no test dependency
                      sh '''%s'''
                    }
                  }
                }
                """.formatted(policy, PASSWORD, migrate);
    }
}
