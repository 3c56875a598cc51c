package io.jenkins.plugins.rollbackguard.jenkins;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;

import io.jenkins.plugins.rollbackguard.engine.ledger.BuildIndex;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.ui.RollbackPointAction;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that {@link PluginLifecycle} ends the plugin's static state with its Jenkins. {@code JenkinsSessionExtension}
 * restarts Jenkins in the same JVM, on the same home, as a controller's plugin classes may outlive a Jenkins: after
 * the restart, an executor of {@link SamplePool} or of {@link WorkPool} taken in the first session refuses its tasks
 * (an old watch cannot sample, nor an old guard machine act, beside its resumed copy), and {@link LedgerFacade} opens the ledger and its index again instead of handing
 * out the first session's objects.
 */
class PluginLifecycleITest {
    private static final EnvironmentName ENVIRONMENT = EnvironmentName.of("prod");
    private static final int WAIT_SECONDS = 10;
    /** How long a dropped task is given to run anyway. */
    private static final int DROPPED_SECONDS = 2;

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void shouldEndThePoolSessionAndReopenTheLedgerAfterARestart() throws Throwable {
        AtomicLong firstSession = new AtomicLong();
        AtomicReference<Executor> firstExecutor = new AtomicReference<>();
        AtomicReference<Executor> firstWork = new AtomicReference<>();
        AtomicReference<Ledger> firstLedger = new AtomicReference<>();
        AtomicReference<BuildIndex> firstIndex = new AtomicReference<>();
        AtomicLong pointId = new AtomicLong();

        sessions.then(j -> {
            firstSession.set(SamplePool.session());
            Executor executor = SamplePool.executor();
            CountDownLatch ran = new CountDownLatch(1);
            executor.execute(ran::countDown);
            assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the executor runs tasks in its session").isTrue();
            firstExecutor.set(executor);
            Executor work = WorkPool.executor();
            CountDownLatch worked = new CountDownLatch(1);
            work.execute(worked::countDown);
            assertThat(worked.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the work pool runs tasks in its session").isTrue();
            firstWork.set(work);

            FreeStyleProject job = j.createFreeStyleProject("app");
            FreeStyleBuild build = j.buildAndAssertSuccess(job);
            LedgerFacade facade = new LedgerFacade();
            firstLedger.set(facade.getLedger());
            firstIndex.set(facade.getIndex());
            RollbackPoint point = facade.getLedger().record(RollbackPoint.builder(ENVIRONMENT,
                    PointSource.jenkins(job.getFullName(), build.getNumber())), "test", "guarded deploy");
            pointId.set(point.id());
            assertThat(build.getAction(RollbackPointAction.class)).isNotNull();
        });

        sessions.then(j -> {
            assertThat(SamplePool.session()).as("a new pool session").isGreaterThan(firstSession.get());
            assertThat(SamplePool.isCurrent(firstSession.get())).isFalse();

            AtomicInteger oldTasks = new AtomicInteger();
            CountDownLatch oldRan = new CountDownLatch(1);
            assertThatExceptionOfType(java.util.concurrent.RejectedExecutionException.class)
                    .as("the old session's executor refuses new work")
                    .isThrownBy(() -> firstExecutor.get().execute(() -> {
                        oldTasks.incrementAndGet();
                        oldRan.countDown();
                    }));
            assertThatExceptionOfType(java.util.concurrent.RejectedExecutionException.class)
                    .as("so does the old session's work pool: an old guard machine cannot act beside its resumed copy")
                    .isThrownBy(() -> firstWork.get().execute(oldTasks::incrementAndGet));
            CountDownLatch newWork = new CountDownLatch(1);
            WorkPool.executor().execute(newWork::countDown);
            assertThat(newWork.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the new session's work pool works").isTrue();
            CountDownLatch newRan = new CountDownLatch(1);
            SamplePool.executor().execute(newRan::countDown);

            assertThat(newRan.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the new session's pool works").isTrue();
            assertThat(oldRan.await(DROPPED_SECONDS, TimeUnit.SECONDS)).as("the old session's task is dropped")
                    .isFalse();
            assertThat(oldTasks).hasValue(0);

            LedgerFacade facade = new LedgerFacade();
            Ledger ledger = facade.getLedger();
            assertThat(ledger).as("the ledger is opened again").isNotSameAs(firstLedger.get());
            assertThat(facade.getIndex()).as("and so is its index").isNotSameAs(firstIndex.get());
            assertThat(ledger.root()).startsWith(j.jenkins.getRootDir().toPath());
            assertThat(ledger.point(ENVIRONMENT, pointId.get()).source().build()).isEqualTo(1);
            FreeStyleProject job = j.jenkins.getItemByFullName("app", FreeStyleProject.class);
            assertThat(job.getBuildByNumber(1).getAction(RollbackPointAction.class))
                    .as("the build page still finds the point of the first session").isNotNull();
        });
    }
}
