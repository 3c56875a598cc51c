package io.jenkins.plugins.rollbackguard.steps;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.Executor;
import hudson.model.Result;
import jenkins.model.CauseOfInterruption;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardState;
import io.jenkins.plugins.rollbackguard.engine.guard.Interruption;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that an abort during the body of {@code withRollbackGuard} is an abort (M1): CPS stops only the innermost
 * step (the body's), not the guard, so the guard learns it from the body's {@code FlowInterruptedException}. The
 * point becomes ABORTED, the build ABORTED, the circuit stays closed and no reverting build is scheduled. Engine
 * twins (run by CI): {@code BodyDriverTest.shouldAbortWithoutTripWhenAPersonOrATimeoutStopsTheBody},
 * {@code BodyDriverTest.shouldCancelTheBodyOnStopAndEndAfterTheBodyEnded} and {@code InterruptionCausesTest}.
 */
@WithJenkins
class WithRollbackGuardInterruptionITest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    /** A good build first, so that a trip would have a build to revert to: none may be scheduled. */
    private static final String GOOD_FIRST = """
            node {
              writeFile file: 'app.txt', text: "v${env.BUILD_NUMBER}"
              archiveArtifacts 'app.txt'
              %s
            }
            """;

    @Test
    void shouldAbortWithoutRevertWhenAPersonStopsTheBody(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createJob(j, "app", GOOD_FIRST.formatted(guard(service, """
                    if (env.BUILD_NUMBER != '1') { semaphore 'deploy' }""")));
            j.buildAndAssertSuccess(job);
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("deploy/1", build);

            Executor executor = build.getExecutor();
            assertThat(executor).isNotNull();
            executor.interrupt(Result.ABORTED, new CauseOfInterruption.UserInterruption("alice"));

            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));
            assertAbortedWithoutRevert(j, job, build, Interruption.USER);
        }
    }

    /** An enclosing timeout cancels the body; the guard's stop() is not called (the body is innermost). */
    @Test
    void shouldAbortWithoutRevertWhenAnEnclosingTimeoutExpires(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createJob(j, "app", GOOD_FIRST.formatted("""
                    timeout(time: 15, unit: 'SECONDS') { // build #1's watch takes a few seconds
                      %s
                    }""".formatted(guard(service, "if (env.BUILD_NUMBER != '1') { semaphore 'deploy' }"))));
            j.buildAndAssertSuccess(job);

            WorkflowRun build = j.buildAndAssertStatus(Result.ABORTED, job);

            assertAbortedWithoutRevert(j, job, build, Interruption.TIMEOUT);
        }
    }

    /** A timeout inside the body ends it with a non-actual interruption: still a timeout, still an abort. */
    @Test
    void shouldAbortWithoutRevertWhenATimeoutInsideTheBodyExpires(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createJob(j, "app", GOOD_FIRST.formatted(guard(service, """
                    if (env.BUILD_NUMBER != '1') { timeout(time: 3, unit: 'SECONDS') { semaphore 'deploy' } }""")));
            j.buildAndAssertSuccess(job);

            WorkflowRun build = j.buildAndAssertStatus(Result.ABORTED, job);

            assertAbortedWithoutRevert(j, job, build, Interruption.TIMEOUT);
        }
    }

    /**
     * A hard kill completes the build without calling any step's stop(): the guard, watching, is stopped by the
     * build's completion (LiveGuards). Twin: {@code BodyDriverTest}'s stop tests (the listener only calls
     * BodyDriver.stop) and {@code LiveGuardsConventionTest}.
     */
    @Test
    void shouldAbortTheWatchWhenThePipelineIsKilled(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createJob(j, "app", GOOD_FIRST.formatted("""
                    withRollbackGuard(environment: '%s', probes: [http(name: 'health', url: '%s',
                        jsonPointer: '/rate', failIf: '< 0.9', interval: '1s', count: 120)]) {
                      echo 'deployed'
                    }""".formatted(Pipelines.ENVIRONMENT, service.url())));
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            j.waitForMessage("watching 1 probe(s)", build); // the watch, not an earlier line

            build.doKill();

            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));
            j.waitUntilNoActivity();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Pipelines.pointOf(build.getNumber()).status()).isEqualTo(PointStatus.ABORTED));
            assertThat(new LedgerFacade().getLedger().lease(EnvironmentName.of(Pipelines.ENVIRONMENT))).isEmpty();
        }
    }

    private static String guard(final HealthServer service, final String body) {
        return """
                withRollbackGuard(environment: '%s', probes: [http(name: 'health', url: '%s',
                    jsonPointer: '/rate', failIf: '< 0.9', interval: '1s', count: 2)]) {
                  %s
                }""".formatted(Pipelines.ENVIRONMENT, service.url(), body);
    }

    private static void assertAbortedWithoutRevert(final JenkinsRule j, final WorkflowJob job, final WorkflowRun build,
                                                   final Interruption cause) throws Exception {
        j.waitUntilNoActivity();
        RollbackPoint point = Pipelines.pointOf(build.getNumber());
        assertThat(point.status()).isEqualTo(PointStatus.ABORTED);
        assertThat(GuardState.of(point).interruption()).isEqualTo(cause);
        assertThat(GuardState.of(point).revert()).as("nothing reverted").isNull();
        assertThat(new LedgerFacade().getLedger().circuit(EnvironmentName.of(Pipelines.ENVIRONMENT)).isOpen())
                .as("an abort does not trip: the circuit is unchanged").isFalse();
        assertThat(job.getLastBuild().getNumber()).as("no reverting build").isEqualTo(build.getNumber());
        assertThat(Pipelines.pointOf(1).status()).isEqualTo(PointStatus.GOOD);
        j.assertLogContains("[rollback-guard] ABORTED", build);
    }
}
