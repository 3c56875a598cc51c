package io.jenkins.plugins.rollbackguard.steps;

import java.util.List;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.Result;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that two builds deploying to one environment are serialised by the environment's lease (M4), as the policy
 * says: {@code concurrent: wait} makes the second wait (holding no thread and, outside {@code node}, no executor)
 * until the first has its verdict; {@code concurrent: refuse} fails it at once, naming the holder. Engine twins (run
 * by CI): {@code BodyDriverTest.shouldSerialiseTwoBuildsToOneEnvironmentWithoutHoldingAThread} and
 * {@code BodyDriverTest.shouldRefuseASecondBuildWhenThePolicySaysRefuse}.
 */
@WithJenkins
class WithRollbackGuardLeaseITest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private static String script(final String concurrent) {
        return """
                node {
                  writeFile file: 'policy.yaml', text: '''
                environment: %s
                concurrent: %s
                lockTimeout: 10m
                '''
                  withRollbackGuard(policy: 'policy.yaml') {
                    semaphore 'deploy'
                    echo "deployed ${env.BUILD_NUMBER}"
                  }
                }
                """.formatted(Pipelines.ENVIRONMENT, concurrent);
    }

    @Test
    void shouldLetASecondBuildWaitForTheFirstsVerdict(final JenkinsRule j) throws Exception {
        j.jenkins.setNumExecutors(2);
        WorkflowJob job = Pipelines.createJob(j, "app", script("wait"));
        WorkflowRun first = job.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("deploy/1", first);

        WorkflowRun second = job.scheduleBuild2(0).waitForStart();
        j.waitForMessage("waiting up to 600s for the lease of 'prod'", second);

        assertThat(ledger().size(env())).as("the second build records nothing while it waits").isEqualTo(1);
        SemaphoreStep.success("deploy/1", null);
        j.assertBuildStatusSuccess(j.waitForCompletion(first));
        SemaphoreStep.waitForStart("deploy/2", second);
        SemaphoreStep.success("deploy/2", null);
        j.assertBuildStatusSuccess(j.waitForCompletion(second));

        assertThat(Pipelines.pointOf(1).status()).isEqualTo(PointStatus.GOOD);
        assertThat(Pipelines.pointOf(2).status()).isEqualTo(PointStatus.GOOD);
        List<LedgerEvent> events = ledger().auditTrail(env());
        int firstGood = indexOf(events, Pipelines.pointOf(1).id(), LedgerEvent.Type.STATUS_CHANGED, PointStatus.GOOD);
        int secondRecorded = indexOf(events, Pipelines.pointOf(2).id(), LedgerEvent.Type.POINT_RECORDED, null);
        assertThat(secondRecorded).as("the second point is recorded after the first's verdict").isGreaterThan(firstGood);
        assertThat(ledger().lease(env())).as("both released the lease").isEmpty();
    }

    @Test
    void shouldRefuseASecondBuildWhenThePolicySaysRefuse(final JenkinsRule j) throws Exception {
        j.jenkins.setNumExecutors(2);
        WorkflowJob job = Pipelines.createJob(j, "app", script("refuse"));
        WorkflowRun first = job.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("deploy/1", first);

        WorkflowRun second = j.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));

        j.assertLogContains("environment 'prod' is busy", second);
        j.assertLogContains("jenkins:app#1", second);
        j.assertLogNotContains("deployed 2", second);
        assertThat(ledger().size(env())).isEqualTo(1);
        SemaphoreStep.success("deploy/1", null);
        j.assertBuildStatusSuccess(j.waitForCompletion(first));
    }

    /**
     * Outside {@code node} a waiting guard holds no executor: with the controller's single executor, another build
     * runs while the second deploy waits for the lease.
     */
    @Test
    void shouldHoldNoExecutorWhileWaitingOutsideNode(final JenkinsRule j) throws Exception {
        j.jenkins.setNumExecutors(1);
        WorkflowJob job = Pipelines.createJob(j, "app", """
                withRollbackGuard(environment: '%s') {
                  semaphore 'deploy'
                }
                """.formatted(Pipelines.ENVIRONMENT));
        WorkflowJob other = Pipelines.createJob(j, "other", "node { echo 'the executor is free' }");
        WorkflowRun first = job.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("deploy/1", first);
        WorkflowRun second = job.scheduleBuild2(0).waitForStart();
        j.waitForMessage("for the lease of 'prod'", second);

        WorkflowRun unrelated = j.buildAndAssertSuccess(other);

        j.assertLogContains("the executor is free", unrelated);
        assertThat(second.isBuilding()).as("still waiting for the lease").isTrue();
        SemaphoreStep.success("deploy/1", null);
        SemaphoreStep.success("deploy/2", null);
        j.assertBuildStatusSuccess(j.waitForCompletion(first));
        j.assertBuildStatusSuccess(j.waitForCompletion(second));
    }

    private static int indexOf(final List<LedgerEvent> events, final long point, final LedgerEvent.Type type,
                               final PointStatus to) {
        for (int i = 0; i < events.size(); i++) {
            LedgerEvent event = events.get(i);
            if (event.pointId() == point && event.type() == type && (to == null || event.to() == to)) {
                return i;
            }
        }
        throw new AssertionError("no %s of #%d in %s".formatted(type, point, events));
    }

    private static Ledger ledger() {
        return new LedgerFacade().getLedger();
    }

    private static EnvironmentName env() {
        return EnvironmentName.of(Pipelines.ENVIRONMENT);
    }
}
