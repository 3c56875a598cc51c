package io.jenkins.plugins.rollbackguard.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.Result;

import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;

/** Tests the class {@link WithRollbackGuardStep} in Jenkins: guarded deploys, trips, reverting builds. */
@WithJenkins
class WithRollbackGuardStepITest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @Test
    void shouldRecordAGoodPointForAHealthyDeploy(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createDeployJob(j, service.url(), 2);

            WorkflowRun build = j.buildAndAssertSuccess(job);

            j.assertLogContains("deploying v1 rollback=false", build);
            assertThat(Pipelines.pointOf(1).status()).isEqualTo(PointStatus.GOOD);
            assertThat(Pipelines.pointOf(1).artifacts()).singleElement()
                    .satisfies(artifact -> assertThat(artifact.location()).isEqualTo("app#1:app.txt"));
            assertThat(build.isKeepLog()).as("the last good build is kept from the build discarder").isTrue();
        }
    }

    /** A trip fails the build and schedules a reverting build, which deploys the target's archived artifact. */
    @Test
    void shouldRevertToTheLastGoodBuildWhenTheWatchTrips(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createDeployJob(j, service.url(), 2);
            j.buildAndAssertSuccess(job);
            service.unhealthyFor(1); // the first sample of build #2 trips; the revert finds the service healthy

            WorkflowRun bad = j.buildAndAssertStatus(Result.FAILURE, job);
            j.waitUntilNoActivity();

            WorkflowRun revert = job.getBuildByNumber(3);
            assertThat(revert).isNotNull();
            j.assertBuildStatusSuccess(revert);
            RollbackCause cause = revert.getCause(RollbackCause.class);
            assertThat(cause).isNotNull();
            assertThat(cause.getBadBuild()).isEqualTo(bad.getNumber());
            assertThat(cause.getTargetBuild()).isEqualTo(1);
            assertThat(revert.getAction(RollbackTargetAction.class).getTargetBuild()).isEqualTo(1);
            j.assertLogContains("deploying v1 rollback=true", revert);
            assertThat(Pipelines.pointOf(2).status()).isEqualTo(PointStatus.REVERTED);
            assertThat(Pipelines.pointOf(3).revertOf()).isEqualTo(Pipelines.pointOf(2).id());
        }
    }

    /** A reverting build that trips freezes the environment; it never schedules another revert. */
    @Test
    void shouldNeverRollBackARollback(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createDeployJob(j, service.url(), 2);
            j.buildAndAssertSuccess(job);
            service.unhealthy();

            j.buildAndAssertStatus(Result.FAILURE, job);
            j.waitUntilNoActivity();

            WorkflowRun revert = job.getBuildByNumber(3);
            j.assertBuildStatus(Result.FAILURE, revert);
            j.assertLogContains("REVERT_FAILED", revert);
            assertThat(job.getLastBuild().getNumber()).isEqualTo(3);
            assertThat(Pipelines.pointOf(3).status()).isEqualTo(PointStatus.BAD);
        }
    }

    @Test
    void shouldKeepEverySettingThroughTheSnippetGenerator(final JenkinsRule j) throws Exception {
        WithRollbackGuardStep step = new WithRollbackGuardStep();
        step.setEnvironment("prod");
        step.setPolicy("rollback-guard.yaml");
        HttpGuardProbe http = new HttpGuardProbe("checkout", "https://shop.example.com/health");
        http.setFailIf("drop > 20%");
        http.setJsonPointer("/payments/successRate");
        http.setCount(30);
        step.setProbes(List.of(http, new PrometheusGuardProbe("errors", "http://prometheus:9090", "sum(rate(x[1m]))")));
        step.setBackups(List.of(new FilesGuardBackup("/srv/app/uploads"), new PostgresGuardBackup("db", "shop", "app")));
        step.setOnTrip("freeze");
        step.setCooldown("30m");
        step.setDataVersion("42");
        step.setAdopt(true);
        step.setArtifacts("target/*.war");

        WithRollbackGuardStep after = new StepConfigTester(j).configRoundTrip(step);

        j.assertEqualDataBoundBeans(step, after);
    }
}
