package io.jenkins.plugins.rollbackguard.engine.health;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.VirtualScheduler;

import static org.assertj.core.api.Assertions.*;

/**
 * A host that stops taking work (a Jenkins session that ended: its timer and pool throw
 * {@link RejectedExecutionException}) ends watches and baselines with what they have, so that nobody waits on them
 * for ever.
 */
class RefusingHostTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A virtual scheduler that refuses once {@link #refuse} is set. */
    private static final class EndingScheduler implements Scheduler {
        private final VirtualScheduler clock = new VirtualScheduler(T0);
        private final AtomicBoolean refuse = new AtomicBoolean();

        @Override
        public Instant now() {
            return clock.now();
        }

        @Override
        public Cancellable schedule(final Duration delay, final Runnable task) {
            if (refuse.get()) {
                throw new RejectedExecutionException("the session has ended");
            }
            return clock.schedule(delay, task);
        }
    }

    @Test
    void shouldEndAWatchWhenTheTimerRefuses() throws Exception {
        EndingScheduler scheduler = new EndingScheduler();
        CompletableFuture<WatchResult> result = new Watch(scheduler, Runnable::run, GuardListener.silent())
                .add(new ScriptedProbe("health", scheduler, "1"), analysis()).start();
        scheduler.clock.advance(Duration.ofSeconds(25)); // three samples

        scheduler.refuse.set(true);
        scheduler.clock.runUntilIdle();

        WatchResult ended = result.get(5, TimeUnit.SECONDS);
        assertThat(ended.explanation()).contains("the host stopped taking samples (the session has ended)");
        assertThat(ended.verdicts()).singleElement().extracting(Verdict::measurements)
                .satisfies(samples -> assertThat(samples).hasSizeGreaterThanOrEqualTo(3));
    }

    @Test
    void shouldEndAWatchWhenThePoolRefuses() throws Exception {
        VirtualScheduler scheduler = new VirtualScheduler(T0);
        AtomicBoolean refuse = new AtomicBoolean();
        Executor pool = task -> {
            if (refuse.get()) {
                throw new RejectedExecutionException("the pool has shut down");
            }
            task.run();
        };
        CompletableFuture<WatchResult> result = new Watch(scheduler, pool, GuardListener.silent())
                .add(new ScriptedProbe("health", scheduler, "1"), analysis()).start();
        scheduler.advance(Duration.ofSeconds(15));

        refuse.set(true);
        scheduler.runUntilIdle();

        assertThat(result.get(5, TimeUnit.SECONDS).explanation()).contains("the pool has shut down");
    }

    @Test
    void shouldFailABaselineWhenTheHostRefuses() {
        EndingScheduler scheduler = new EndingScheduler();
        CompletableFuture<Baseline> baseline = Baseline.sample(new ScriptedProbe("health", scheduler, "5"), 5,
                Duration.ofSeconds(1), scheduler, Runnable::run);
        scheduler.clock.advance(Duration.ofSeconds(2));

        scheduler.refuse.set(true);
        scheduler.clock.runUntilIdle();

        assertThat(baseline).isCompletedExceptionally();
        assertThatThrownBy(baseline::join).hasRootCauseInstanceOf(RejectedExecutionException.class);
        Executor refusing = task -> {
            throw new RejectedExecutionException("refused");
        };
        assertThat(Baseline.sample(new ScriptedProbe("p", scheduler, "5"), 3, Duration.ofSeconds(1), scheduler,
                refusing)).isCompletedExceptionally();
    }

    private static Analysis analysis() {
        return new Analysis("health", AnalysisSettings.builder().interval("10s").count(100).build(),
                Thresholds.parse("health", null, null), Baseline.none("not sampled"));
    }
}
