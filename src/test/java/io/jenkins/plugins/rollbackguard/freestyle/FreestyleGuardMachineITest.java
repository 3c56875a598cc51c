package io.jenkins.plugins.rollbackguard.freestyle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.util.OneShotEvent;
import jenkins.model.CauseOfInterruption;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.steps.RollbackCause;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the freestyle pair as a driver of the guard machine in a real Jenkins: the lease serialises or refuses two
 * builds to one environment, an abort during the watch is an abort (ABORTED, nothing reverted, circuit unchanged), and
 * a build without the watch action does not leave its point DEPLOYING nor its lease held. Never run here (no Jenkins
 * Maven repository); the engine twins that CI runs are in {@code engine.guard.BuildThreadDriverTest}.
 */
@WithJenkins
class FreestyleGuardMachineITest {
    private static final String ENVIRONMENT = "staging";
    private static final EnvironmentName ENV = EnvironmentName.of(ENVIRONMENT);

    /** Twin: {@code BuildThreadDriverTest.shouldRefuseASecondBuildWhileTheFirstHoldsTheLease}. */
    @Test
    void shouldRefuseASecondBuildToTheEnvironmentWhileTheFirstDeploys(final JenkinsRule j) throws Exception {
        String policy = "concurrent: refuse\n" + probe(j, 200, 2);
        Deploy firstDeploy = new Deploy();
        FreeStyleProject first = guardedJob(j, "shop", policy, firstDeploy, true);
        FreeStyleProject second = guardedJob(j, "shop-eu", policy, null, true);

        FreeStyleBuild running = first.scheduleBuild2(0).waitForStart();
        firstDeploy.started.block(30_000);
        FreeStyleBuild refused = j.buildAndAssertStatus(Result.FAILURE, second);

        j.assertLogContains("environment 'staging' is busy", refused);
        j.assertLogContains("held by jenkins:shop#1", refused);
        assertThat(ledger().size(ENV)).as("the refused build recorded nothing").isEqualTo(1);
        firstDeploy.release.signal();
        j.assertBuildStatusSuccess(j.waitForCompletion(running));
        assertThat(newestPoint().status()).isEqualTo(PointStatus.GOOD);
        assertThat(ledger().lease(ENV)).as("released with the verdict").isEmpty();
    }

    /** Twin: {@code BuildThreadDriverTest.shouldLetASecondBuildWaitForTheLeaseAndDeployAfterTheFirstsVerdict}. */
    @Test
    void shouldSerialiseTwoBuildsToTheEnvironmentWithConcurrentWait(final JenkinsRule j) throws Exception {
        String policy = "concurrent: wait\nlockTimeout: 2m\n" + probe(j, 200, 2);
        Deploy firstDeploy = new Deploy();
        FreeStyleProject first = guardedJob(j, "shop", policy, firstDeploy, true);
        FreeStyleProject second = guardedJob(j, "shop-eu", policy, null, true);

        FreeStyleBuild running = first.scheduleBuild2(0).waitForStart();
        firstDeploy.started.block(30_000);
        FreeStyleBuild waiting = second.scheduleBuild2(0).waitForStart();
        j.waitForMessage("waiting up to 120s for the lease of 'staging'", waiting);
        assertThat(ledger().size(ENV)).as("the waiting build recorded nothing yet").isEqualTo(1);
        firstDeploy.release.signal();

        j.assertBuildStatusSuccess(j.waitForCompletion(running));
        j.assertBuildStatusSuccess(j.waitForCompletion(waiting));
        List<LedgerEvent> trail = ledger().auditTrail(ENV);
        long firstGood = trail.stream().filter(e -> e.pointId() == 1 && e.to() == PointStatus.GOOD)
                .mapToLong(LedgerEvent::seq).findFirst().orElseThrow();
        long secondRecorded = trail.stream().filter(e -> e.pointId() == 2 && e.type() == LedgerEvent.Type.POINT_RECORDED)
                .mapToLong(LedgerEvent::seq).findFirst().orElseThrow();
        assertThat(secondRecorded).as("recorded after the first deploy's verdict").isGreaterThan(firstGood);
        assertThat(ledger().point(ENV, 2).source().job()).isEqualTo("shop-eu");
    }

    /** Twin: {@code BuildThreadDriverTest.shouldAbortWithoutARevertWhenTheBuildThreadIsInterruptedDuringTheWatch}. */
    @Test
    void shouldAbortThePointWithoutARevertWhenTheBuildIsAbortedDuringTheWatch(final JenkinsRule j) throws Exception {
        FreeStyleProject job = guardedJob(j, "shop", "onTrip: rollback\n" + probe(j, 500, 200), null, true);
        j.buildAndAssertSuccess(job); // a good point to return to: a trip would schedule a reverting build
        FreeStyleBuild watching = job.scheduleBuild2(0).waitForStart();
        j.waitForMessage("watching 1 probe(s)", watching);

        watching.getExecutor().interrupt(Result.ABORTED, new CauseOfInterruption.UserInterruption("alice"));

        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(watching));
        RollbackPoint point = newestPoint();
        assertThat(point.source().build()).isEqualTo(watching.getNumber());
        assertThat(point.status()).isEqualTo(PointStatus.ABORTED);
        assertThat(point.verdict()).contains("stopped by a person", "Aborted by alice", "nothing was judged or reverted");
        assertThat(ledger().circuit(ENV).isOpen()).as("an abort is no trip").isFalse();
        j.waitUntilNoActivity();
        assertThat(job.getBuilds()).noneMatch(build -> build.getCause(RollbackCause.class) != null);
        assertThat(ledger().lease(ENV)).isEmpty();
    }

    /** Twin: {@code BuildThreadDriverTest.shouldEndADeployNobodyWatchedByTheStepsResult}. */
    @Test
    void shouldEndTheDeployOfABuildWithoutTheWatchAction(final JenkinsRule j) throws Exception {
        FreeStyleProject job = guardedJob(j, "shop", probe(j, 200, 2), null, false);

        FreeStyleBuild unwatched = j.buildAndAssertSuccess(job);

        RollbackPoint point = newestPoint();
        assertThat(point.source().build()).isEqualTo(unwatched.getNumber());
        assertThat(point.status()).as("not DEPLOYING forever").isEqualTo(PointStatus.INTERRUPTED);
        assertThat(ledger().circuit(ENV).isOpen()).isTrue();
        assertThat(ledger().circuit(ENV).reason()).contains("without the action", "not watched");
        assertThat(ledger().lease(ENV)).as("not held by the finished build").isEmpty();
        j.assertLogContains("[rollback-guard] FROZEN", unwatched);
    }

    private static String probe(final JenkinsRule j, final int intervalMillis, final int count) throws IOException {
        return """
                probes:
                  - type: http
                    name: jenkins-up
                    url: %sapi/json
                    analysis: {interval: %dms, count: %d}
                """.formatted(j.getURL(), intervalMillis, count);
    }

    private static FreeStyleProject guardedJob(final JenkinsRule j, final String name, final String policy,
            final Deploy deploy, final boolean watched) throws IOException {
        FreeStyleProject job = j.createFreeStyleProject(name);
        job.getBuildersList().add(new PolicyFileWriter(policy));
        job.getBuildersList().add(new RecordRollbackPointBuilder(ENVIRONMENT));
        if (deploy != null) {
            job.getBuildersList().add(deploy);
        }
        if (watched) {
            job.getPublishersList().add(new RollbackGuardRecorder(ENVIRONMENT));
        }
        return job;
    }

    private static RollbackPoint newestPoint() {
        return ledger().history(ENV, 0, 1).get(0);
    }

    private static Ledger ledger() {
        return new LedgerFacade().getLedger();
    }

    /** A deploy step that waits until the test lets it finish. */
    private static final class Deploy extends TestBuilder {
        private final transient OneShotEvent started = new OneShotEvent();
        private final transient OneShotEvent release = new OneShotEvent();

        @Override
        public boolean perform(final AbstractBuild<?, ?> build, final Launcher launcher,
                final BuildListener listener) throws InterruptedException {
            started.signal();
            release.block();
            return true;
        }
    }

    /** Puts the policy file into the workspace, as a checkout would. */
    private static final class PolicyFileWriter extends TestBuilder {
        private final String policy;

        PolicyFileWriter(final String policy) {
            super();
            this.policy = policy;
        }

        @Override
        public boolean perform(final AbstractBuild<?, ?> build, final Launcher launcher,
                final BuildListener listener) throws InterruptedException, IOException {
            build.getWorkspace().child(GuardFields.DEFAULT_POLICY_FILE).write(policy, StandardCharsets.UTF_8.name());
            return true;
        }
    }
}
