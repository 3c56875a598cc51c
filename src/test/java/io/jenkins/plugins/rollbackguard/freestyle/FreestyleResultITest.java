package io.jenkins.plugins.rollbackguard.freestyle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockBuilder;
import org.jvnet.hudson.test.TestBuilder;
import org.jvnet.hudson.test.UnstableBuilder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.steps.RollbackCause;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests how {@link RollbackGuardRecorder} reads the result of the deploy steps before it: an UNSTABLE build deployed
 * all the same and is watched like a successful one (a healthy watch makes its point GOOD, nothing is reverted or
 * frozen), and ABORTED steps mark the point ABORTED without a trip. Only FAILURE is a failed deploy (see
 * {@code RollbackGuardFreestyleITest}).
 */
@WithJenkins
class FreestyleResultITest {
    private static final String ENVIRONMENT = "staging";
    private static final EnvironmentName ENV = EnvironmentName.of(ENVIRONMENT);

    /** Before, UNSTABLE counted as failed deploy steps: the point became BAD and the guard reverted to build 1. */
    @Test
    void shouldWatchAnUnstableDeployLikeASuccessfulOne(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createGuardedJob(j, "rollback");
        j.buildAndAssertSuccess(job);
        assertThat(newestPoint().status()).isEqualTo(PointStatus.GOOD);
        job.getBuildersList().add(new UnstableBuilder()); // after "Record rollback point": the deploy steps

        FreeStyleBuild unstable = j.buildAndAssertStatus(Result.UNSTABLE, job);
        j.waitUntilNoActivity();

        RollbackPoint point = newestPoint();
        assertThat(point.source().build()).isEqualTo(unstable.getNumber());
        assertThat(point.status()).as("the watch decided, not the build result").isEqualTo(PointStatus.GOOD);
        j.assertLogContains("[rollback-guard] GOOD", unstable);
        assertThat(ledger().lastGood(ENV)).get().extracting(last -> last.source().build())
                .isEqualTo(unstable.getNumber());
        assertThat(ledger().circuit(ENV).isOpen()).as("the circuit stays closed").isFalse();
        assertThat(job.getLastBuild().getNumber()).as("no reverting build").isEqualTo(unstable.getNumber());
        assertThat(job.getBuilds()).noneMatch(build -> build.getCause(RollbackCause.class) != null);
        assertThat(j.jenkins.getQueue().isEmpty()).isTrue();
    }

    /** Before, ABORTED counted as failed deploy steps: the point became BAD and the environment froze. */
    @Test
    void shouldMarkThePointAbortedWithoutATripWhenTheDeployStepsAreAborted(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createGuardedJob(j, "freeze");
        job.getBuildersList().add(new MockBuilder(Result.ABORTED));

        FreeStyleBuild aborted = j.buildAndAssertStatus(Result.ABORTED, job);

        RollbackPoint point = newestPoint();
        assertThat(point.source().build()).isEqualTo(aborted.getNumber());
        assertThat(point.status()).isEqualTo(PointStatus.ABORTED);
        j.assertLogContains("[rollback-guard] ABORTED:", aborted);
        assertThat(ledger().circuit(ENV).isOpen()).as("an abort is no trip").isFalse();

        // not frozen: the next deploy is recorded and watched
        job.getBuildersList().removeAll(MockBuilder.class);
        FreeStyleBuild next = j.buildAndAssertSuccess(job);

        assertThat(newestPoint().source().build()).isEqualTo(next.getNumber());
        assertThat(newestPoint().status()).isEqualTo(PointStatus.GOOD);
        assertThat(job.getBuilds()).noneMatch(build -> build.getCause(RollbackCause.class) != null);
    }

    /** The freestyle pair around the deploy steps, with a healthy probe (Jenkins itself). */
    private static FreeStyleProject createGuardedJob(final JenkinsRule j, final String onTrip) throws IOException {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        job.getBuildersList().add(new PolicyFileWriter("""
                probes:
                  - type: http
                    name: jenkins-up
                    url: %sapi/json
                    analysis: {interval: 200ms, count: 2}
                """.formatted(j.getURL())));
        RecordRollbackPointBuilder record = new RecordRollbackPointBuilder(ENVIRONMENT);
        record.setOnTrip(onTrip);
        job.getBuildersList().add(record);
        RollbackGuardRecorder watch = new RollbackGuardRecorder(ENVIRONMENT);
        watch.setOnTrip(onTrip);
        job.getPublishersList().add(watch);
        return job;
    }

    private static RollbackPoint newestPoint() {
        return ledger().history(ENV, 0, 1).get(0);
    }

    private static Ledger ledger() {
        return new LedgerFacade().getLedger();
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
            FilePath workspace = build.getWorkspace();
            workspace.child(GuardFields.DEFAULT_POLICY_FILE).write(policy, StandardCharsets.UTF_8.name());
            return true;
        }
    }
}
