package io.jenkins.plugins.rollbackguard.engine.spi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.*;
import static org.awaitility.Awaitility.*;

/**
 * The twin of a Jenkins restart in one JVM: work of the old session (an old watch's next sample, scheduled after the
 * restart) is dropped, work of the new session runs on a new pool.
 */
class SessionExecutorTest {
    private final AtomicInteger pools = new AtomicInteger();
    private final List<Runnable> dropped = new CopyOnWriteArrayList<>();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final SessionExecutor executor = new SessionExecutor(() -> {
        pools.incrementAndGet();
        return Executors.newFixedThreadPool(2);
    }, task -> () -> {
        ran.add(Thread.currentThread().getName());
        task.run();
    }, dropped::add);

    @Test
    void shouldDropTheTasksOfAnEndedSessionAndRunTheNewOnes() throws InterruptedException {
        Executor oldSession = executor.executor();
        CountDownLatch first = new CountDownLatch(1);
        oldSession.execute(first::countDown);
        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        long old = executor.session();

        executor.shutdown();

        AtomicInteger lateOldTasks = new AtomicInteger();
        assertThatExceptionOfType(RejectedExecutionException.class)
                .isThrownBy(() -> oldSession.execute(lateOldTasks::incrementAndGet));
        CountDownLatch fresh = new CountDownLatch(2);
        executor.execute(fresh::countDown);
        executor.executor().execute(fresh::countDown);
        assertThat(fresh.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(lateOldTasks).hasValue(0);
        assertThat(dropped).hasSize(1);
        assertThat(executor.isCurrent(old)).isFalse();
        assertThat(executor.isCurrent(executor.session())).isTrue();
        assertThat(pools).as("a new pool for the new session").hasValue(2);
        assertThat(ran).hasSize(3);
    }

    @Test
    void shouldLetTheRunningTasksOfAnEndedSessionFinish() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        executor.execute(() -> {
            started.countDown();
            try {
                if (release.await(30, TimeUnit.SECONDS)) {
                    finished.incrementAndGet(); // e.g. a ledger write: never cut in half
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        executor.shutdown();
        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 1);
        assertThat(pools).as("no pool is started until the new session has work").hasValue(1);
    }
}
