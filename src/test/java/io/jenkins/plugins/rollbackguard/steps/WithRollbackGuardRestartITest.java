package io.jenkins.plugins.rollbackguard.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;

/**
 * Tests that the watch of {@link WithRollbackGuardStepExecution} survives a controller restart: the persisted
 * snapshots are restored, sampling resumes, and the watch still decides.
 */
class WithRollbackGuardRestartITest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private static HealthServer service;

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @BeforeAll
    static void startService() throws Exception {
        service = new HealthServer();
    }

    @AfterAll
    static void stopService() {
        service.close();
    }

    @Test
    void shouldResumeTheWatchAfterARestartAndDecide() throws Throwable {
        sessions.then(j -> {
            WorkflowJob job = Pipelines.createDeployJob(j, service.url(), 12);
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            j.waitForMessage("[rollback-guard] watching 1 probe(s)", build);
        });
        sessions.then(j -> {
            WorkflowJob job = j.jenkins.getItemByFullName("app", WorkflowJob.class);
            WorkflowRun build = job.getBuildByNumber(1);

            j.assertBuildStatusSuccess(j.waitForCompletion(build));

            j.assertLogContains("resuming the watch after a restart", build);
            assertThat(Pipelines.pointOf(1).status()).isEqualTo(PointStatus.GOOD);
        });
    }
}
