package io.jenkins.plugins.rollbackguard.engine.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.spi.VirtualScheduler;

/** Tests that {@link Baseline#sample} goes on from samples taken before, tells each new one, and stops when cancelled. */
class BaselineResumeTest {
    private static final Executor DIRECT = Runnable::run;
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void shouldTakeOnlyTheSamplesStillMissingAndCountThoseBefore() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        ScriptedProbe probe = new ScriptedProbe("p", clock, "30");
        List<Measurement> before = List.of(Measurement.of(T0.minusSeconds(20), 10, Outcome.SUCCESS, "kept"),
                Measurement.of(T0.minusSeconds(10), 20, Outcome.SUCCESS, "kept"));
        List<Integer> told = new ArrayList<>();

        CompletableFuture<Baseline> baseline = Baseline.sample(probe, 3, Duration.ofSeconds(10), clock, DIRECT,
                before, samples -> told.add(samples.size()));
        clock.runUntilIdle();

        assertThat(probe.times()).as("one sample, an interval after the resume").containsExactly(T0.plusSeconds(10));
        assertThat(told).containsExactly(3);
        assertThat(baseline.join().withSampled(java.util.List.of())).isEqualTo(new Baseline(20, 3, ""));
        assertThat(baseline.join().values()).as("those before kept with the new one").containsExactly(10.0, 20.0, 30.0);
    }

    @Test
    void shouldTakeNoMoreSamplesOnceCancelled() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        ScriptedProbe probe = new ScriptedProbe("p", clock, "1");
        List<Integer> told = new ArrayList<>();
        CompletableFuture<Baseline> baseline = Baseline.sample(probe, 5, Duration.ofSeconds(10), clock, DIRECT,
                List.of(), samples -> {
                    told.add(samples.size());
                });

        clock.advance(Duration.ofSeconds(10));
        baseline.cancel(false);
        clock.runUntilIdle();

        assertThat(probe.times()).hasSize(2);
        assertThat(told).containsExactly(1, 2);
        assertThat(baseline).isCancelled();
    }
}
