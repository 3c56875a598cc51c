package io.jenkins.plugins.rollbackguard.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.jenkins.WorkPool;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Tests that {@code withRollbackGuard} survives a controller restart in each phase, its guard machine rebuilt from
 * the ledger: during the watch (the analyses go on from the ledger), and after the body ended but before the
 * machine wrote WATCHING (m1: the step kept the body's end, and hands it to the rebuilt machine). Engine twins (run
 * by CI): {@code BodyDriverTest.shouldContinueTheWatchWhenRestartedAfterTheBodyEndedButBeforeWatching},
 * {@code BodyDriverTest.shouldTakeTheResumedBodysEndBeforeOrAfterTheMachineIsRebuilt} and
 * {@code BodyDriverTest.shouldLetTheLedgerWinOverAResumedBody}.
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

    @AfterEach
    void restoreThePool() {
        System.clearProperty(WorkPool.THREADS_PROPERTY);
    }

    @Test
    void shouldResumeTheWatchAfterARestartAndDecide() throws Throwable {
        sessions.then(j -> {
            WorkflowJob job = Pipelines.createDeployJob(j, service, 12);
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            j.waitForMessage("watching 1 probe(s)", build);
        });
        sessions.then(j -> {
            WorkflowJob job = j.jenkins.getItemByFullName("app", WorkflowJob.class);
            WorkflowRun build = job.getBuildByNumber(1);

            j.assertBuildStatusSuccess(j.waitForCompletion(build));

            j.assertLogContains("resuming the guard of point #1 in prod after a restart", build);
            assertThat(Pipelines.pointOf(1).status()).isEqualTo(PointStatus.GOOD);
        });
    }

    /**
     * m1: the body ends while the work pool is busy (one thread, held by the test), so the machine cannot write
     * WATCHING before Jenkins stops; the step's record of the body's end survives in program.dat. After the restart
     * the rebuilt machine takes that end, watches and decides; the body does not run again.
     */
    @Test
    void shouldContinueTheWatchWhenRestartedAfterTheBodyEndedBeforeWatching() throws Throwable {
        CountDownLatch busy = new CountDownLatch(1);
        sessions.then(j -> {
            System.setProperty(WorkPool.THREADS_PROPERTY, "1"); // read when this session's pool starts
            WorkflowJob job = Pipelines.createJob(j, "app", """
                    node {
                      withRollbackGuard(environment: '%s', probes: [http(name: 'health', url: '%s',
                          jsonPointer: '/rate', failIf: '< 0.9', interval: '1s', count: 3)]) {
                        semaphore 'deploy'
                        echo 'the body ran'
                      }
                    }
                    """.formatted(Pipelines.ENVIRONMENT, service.url()));
            WorkflowRun build = job.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("deploy/1", build);
            WorkPool.executor().execute(() -> { // the pool's only thread: the machine hears nothing until the restart
                try {
                    busy.await(5, TimeUnit.MINUTES);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            SemaphoreStep.success("deploy/1", null);

            j.waitForMessage("the body ran", build);
            await().atMost(Duration.ofSeconds(60)).until(() -> { // the step has the body's end
                List<String> statuses = new CopyOnWriteArrayList<>();
                StepExecution.acceptAll(WithRollbackGuardStepExecution.class,
                        execution -> statuses.add(execution.getStatus())).get();
                return statuses.stream().anyMatch(status -> status.startsWith("guarding"));
            });
            assertThat(Pipelines.pointOf(1).status()).as("the machine has not heard of the body's end")
                    .isEqualTo(PointStatus.DEPLOYING);
        });
        sessions.then(j -> {
            busy.countDown(); // the old session's tasks are refused from now on
            WorkflowRun build = j.jenkins.getItemByFullName("app", WorkflowJob.class).getBuildByNumber(1);

            j.assertBuildStatusSuccess(j.waitForCompletion(build));

            j.assertLogContains("resuming the guard of point #1 in prod after a restart", build);
            assertThat(Pipelines.pointOf(1).status()).isEqualTo(PointStatus.GOOD);
            List<LedgerEvent> trail = new LedgerFacade().getLedger().auditTrail(EnvironmentName.of(Pipelines.ENVIRONMENT));
            assertThat(trail.stream().filter(e -> e.type() == LedgerEvent.Type.STATUS_CHANGED
                    && e.to() == PointStatus.WATCHING)).as("watched once, after the restart").hasSize(1);
            assertThat(JenkinsLogs.count(build, "the body ran")).as("the body ran once").isEqualTo(1);
        });
    }

    /** Counts lines of a build log. */
    private static final class JenkinsLogs {
        static long count(final WorkflowRun build, final String text) throws java.io.IOException {
            try (java.io.BufferedReader reader = new java.io.BufferedReader(build.getLogReader())) {
                return reader.lines().filter(line -> line.contains(text) && !line.contains("echo")).count();
            }
        }
    }
}
