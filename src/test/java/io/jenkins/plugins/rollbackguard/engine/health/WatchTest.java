package io.jenkins.plugins.rollbackguard.engine.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Tests the class {@link Watch} with {@link Analysis} in virtual time: each knob, the early trip, restore. */
class WatchTest {
    private static final Executor DIRECT = Runnable::run;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldSampleAfterInitialDelayThenEveryInterval() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        ScriptedProbe probe = new ScriptedProbe("p", clock, "1");
        CompletableFuture<WatchResult> result = watch(clock, probe,
                settings().initialDelay("5s").interval("10s").count(3).build(), null);

        clock.advance(Duration.ofSeconds(24));
        assertThat(result).isNotDone();
        clock.advance(Duration.ofSeconds(1));

        assertThat(probe.times()).containsExactly(T0.plusSeconds(5), T0.plusSeconds(15), T0.plusSeconds(25));
        assertThat(result.join().status()).isEqualTo(VerdictStatus.PASSED);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void shouldTurnDurationIntoSamples() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        ScriptedProbe probe = new ScriptedProbe("p", clock, "1");
        CompletableFuture<WatchResult> result = watch(clock, probe,
                settings().interval("10s").duration("1m").build(), null);

        clock.runUntilIdle();

        assertThat(probe.times()).hasSize(6).last().isEqualTo(T0.plusSeconds(50));
        assertThat(result.join().explanation()).isEqualTo("all 1 probes passed");
    }

    @Test
    void shouldTripAsSoonAsFailuresExceedFailureLimit() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        ScriptedProbe probe = new ScriptedProbe("p", clock, "1", "F", "1", "F", "1");
        CompletableFuture<WatchResult> result = watch(clock, probe,
                settings().interval("10s").count(100).failureLimit(1).build(), null);

        clock.advance(Duration.ofSeconds(30));

        assertThat(result).isDone();
        assertThat(probe.times()).hasSize(4);
        assertThat(result.join().explanation()).isEqualTo(
                "p: FAILED after 4 samples: 2 failures exceed failureLimit 1; last: FAILURE (scripted failure)");
        assertThat(clock.pending()).isZero();
    }

    @Test
    void shouldTripOnTheFirstFailureByDefault() {
        assertThat(run(settings().count(10), null, "1", "F").verdicts().get(0).measurements()).hasSize(2);
        assertThat(run(settings().count(10), null, "1", "F").status()).isEqualTo(VerdictStatus.FAILED);
    }

    @Test
    void shouldTripOnConsecutiveFailures() {
        WatchResult result = run(settings().count(10).consecutiveFailureLimit(2), null, "F", "F", "1", "F", "F", "F");

        assertThat(result.status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(result.verdicts().get(0).measurements()).hasSize(6);
        assertThat(result.explanation()).contains("3 failures in a row exceed consecutiveFailureLimit 2");
    }

    @Test
    void shouldTripOnNOfLastM() {
        assertThat(run(settings().count(6).window(2, 3), null, "F", "1", "1", "F", "1", "1").status())
                .isEqualTo(VerdictStatus.PASSED);
        WatchResult tripped = run(settings().count(6).window(2, 3), null, "F", "1", "F", "1");
        assertThat(tripped.status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(tripped.explanation()).contains("after 3 samples: 2 of the last 3 samples failed");
    }

    @Test
    void shouldKeepErrorsApartFromFailures() {
        WatchResult result = run(settings().count(8), null, "E", "E", "E", "E", "1");

        assertThat(result.status()).isEqualTo(VerdictStatus.PASSED);
        assertThat(result.verdicts().get(0).measurements()).extracting(Measurement::outcome)
                .containsExactly(Outcome.ERROR, Outcome.ERROR, Outcome.ERROR, Outcome.ERROR, Outcome.SUCCESS,
                        Outcome.SUCCESS, Outcome.SUCCESS, Outcome.SUCCESS);
    }

    @Test
    void shouldApplyOnErrorPastConsecutiveErrorLimit() {
        assertThat(run(settings().count(10), null, "E").explanation())
                .contains("INCONCLUSIVE after 5 samples: 5 provider errors in a row exceed consecutiveErrorLimit 4");
        assertThat(run(settings().count(10).consecutiveErrorLimit(1).onError(ErrorPolicy.FAIL), null, "E")
                .explanation()).contains("FAILED after 2 samples");
        assertThat(run(settings().count(10).onError(ErrorPolicy.IGNORE).minSamples(0), null, "E").status())
                .isEqualTo(VerdictStatus.PASSED);
    }

    @Test
    void shouldApplyOnNoData() {
        assertThat(run(settings().count(5), null, "N").explanation())
                .contains("INCONCLUSIVE after 1 sample: 1 inconclusive sample exceeds inconclusiveLimit 0");
        assertThat(run(settings().count(5).onNoData(ErrorPolicy.FAIL), null, "N").status())
                .isEqualTo(VerdictStatus.FAILED);
        assertThat(run(settings().count(3).onNoData(ErrorPolicy.IGNORE), null, "N", "1").status())
                .isEqualTo(VerdictStatus.PASSED);
    }

    @Test
    void shouldToleratePerInconclusiveLimit() {
        WatchResult result = run(settings().count(10).inconclusiveLimit(1), "drop > 20%", "0.9");

        assertThat(result.status()).isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(result.verdicts().get(0).measurements()).hasSize(2).first().extracting(Measurement::detail)
                .isEqualTo("no baseline for a relative condition: not sampled");
    }

    @Test
    void shouldRequireMinSamples() {
        WatchResult result = run(settings().count(3).minSamples(3).onNoData(ErrorPolicy.IGNORE), null, "1", "N");

        assertThat(result.status()).isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(result.explanation()).contains("only 1 of 3 required samples could be judged");
    }

    @Test
    void shouldReportButNeverTripInDryRun() {
        WatchResult result = run(settings().count(4).dryRun(true), "> 5%", "0.01", "0.5");

        assertThat(result.status()).isEqualTo(VerdictStatus.PASSED);
        Verdict verdict = result.verdicts().get(0);
        assertThat(verdict.dryRun()).isTrue();
        assertThat(verdict.measurements()).hasSize(4);
        assertThat(verdict.explanation()).startsWith("dry run, would be p: FAILED after 4 samples: 1 failure exceeds failureLimit 0");
    }

    @Test
    void shouldCompareWithTheMedianBaseline() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        ScriptedProbe before = new ScriptedProbe("p", clock, "0.97", "0.99", "E", "0.95");
        CompletableFuture<Baseline> baseline = Baseline.sample(before, 4, Duration.ofSeconds(1), clock, DIRECT);
        clock.runUntilIdle();
        assertThat(baseline.join().value()).hasValue(0.97);

        Analysis analysis = new Analysis("p", settings().count(3).build(),
                Thresholds.parse("p", "drop > 20%", null), baseline.join());
        assertThat(analysis.record(Measurement.of(T0, 0.80, Outcome.SUCCESS, "")).isFinal()).isFalse();
        assertThat(analysis.record(Measurement.of(T0, 0.77, Outcome.SUCCESS, "")).finalVerdict().status())
                .isEqualTo(VerdictStatus.FAILED);
    }

    @Test
    void shouldTakeBaselineSamplesAsConfigured() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        ScriptedProbe before = new ScriptedProbe("p", clock, "10", "30", "20", "99");
        HttpProbeSpec spec = HttpProbeSpec.get("p", "http://localhost/", "rise > 50%",
                settings().interval("1m").baselineSamples(3).build());

        CompletableFuture<Baseline> baseline = Baseline.sample(spec, before, clock, DIRECT);
        clock.runUntilIdle();

        assertThat(before.times()).containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(120));
        assertThat(baseline.join().withSampled(java.util.List.of())).isEqualTo(new Baseline(20, 3, ""));
        assertThat(baseline.join().values()).as("the samples kept, as they came").containsExactly(10.0, 30.0, 20.0);
    }

    @Test
    void shouldFailTheWatchAtOnceAndStopTheOtherProbes() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        ScriptedProbe healthy = new ScriptedProbe("healthy", clock, "1");
        ScriptedProbe failing = new ScriptedProbe("failing", clock, "1", "1", "F");
        CompletableFuture<WatchResult> result = new Watch(clock, DIRECT, GuardListener.silent())
                .add(healthy, analysis("healthy", settings().count(100).build(), null))
                .add(failing, analysis("failing", settings().count(100).build(), null))
                .start();

        clock.runUntilIdle();

        assertThat(result.join().status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(result.join().explanation()).startsWith("failing: FAILED after 3 samples");
        assertThat(result.join().verdicts()).extracting(Verdict::status)
                .containsExactly(VerdictStatus.INCONCLUSIVE, VerdictStatus.FAILED);
        assertThat(healthy.times()).hasSize(3);
        assertThat(clock.now()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void shouldBeInconclusiveIfAnyProbeIsAndNoneFailed() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        CompletableFuture<WatchResult> result = new Watch(clock, DIRECT, GuardListener.silent())
                .add(new ScriptedProbe("a", clock, "1"), analysis("a", settings().count(2).build(), null))
                .add(new ScriptedProbe("b", clock, "N"), analysis("b", settings().count(2).build(), null))
                .start();

        clock.runUntilIdle();

        assertThat(result.join().status()).isEqualTo(VerdictStatus.INCONCLUSIVE);
    }

    @Test
    void shouldResumeFromASnapshotWithoutLosingCounts() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        AnalysisSettings limits = settings().initialDelay("1m").count(10).failureLimit(2).build();
        Analysis first = analysis("p", limits, null);
        Watch before = new Watch(clock, DIRECT, GuardListener.silent()).add(new ScriptedProbe("p", clock, "F", "F", "1"),
                first);
        before.start();
        clock.advance(Duration.ofSeconds(80));
        AnalysisSnapshot snapshot = before.snapshots().get("p");
        before.stop("controller restart");

        Analysis restored = Analysis.restore(HttpProbeSpec.get("p", "http://localhost/", null, limits), snapshot);
        ScriptedProbe after = new ScriptedProbe("p", clock, "F");
        CompletableFuture<WatchResult> result = new Watch(clock, DIRECT, GuardListener.silent()).add(after, restored)
                .start();
        clock.runUntilIdle();

        assertThat(snapshot.measurements()).hasSize(3);
        assertThat(after.times()).containsExactly(T0.plusSeconds(90));
        assertThat(result.join().explanation()).startsWith("p: FAILED after 4 samples: 3 failures exceed failureLimit 2");
    }

    @Test
    void shouldRunSamplesOnTheExecutorNeverOnTheScheduler() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        List<Runnable> queued = new ArrayList<>();
        ScriptedProbe probe = new ScriptedProbe("p", clock, "1");
        new Watch(clock, queued::add, GuardListener.silent()).add(probe, analysis("p", settings().count(2).build(), null))
                .start();

        clock.advance(Duration.ZERO);
        assertThat(probe.times()).isEmpty();
        assertThat(queued).hasSize(1);

        queued.remove(0).run(); // the scheduled task only handed the sample to the executor
        assertThat(queued).hasSize(1);
        queued.remove(0).run();
        assertThat(probe.times()).hasSize(1);
    }

    @Test
    void shouldShareOneTimerAndOneExecutorTaskAmongSamplesDueInTheSameSlot() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        List<Runnable> queued = new ArrayList<>();
        ScriptedProbe a = new ScriptedProbe("a", clock, "1");
        ScriptedProbe b = new ScriptedProbe("b", clock, "1");
        ScriptedProbe c = new ScriptedProbe("c", clock, "1");
        new Watch(clock, queued::add, GuardListener.silent())
                .add(a, analysis("a", settings().initialDelay("1ms").count(2).build(), null))
                .add(b, analysis("b", settings().initialDelay("9ms").count(2).build(), null))
                .add(c, analysis("c", settings().initialDelay("11ms").count(2).build(), null))
                .start();

        assertThat(clock.pending()).isEqualTo(2); // the slots at 10 ms and 20 ms
        clock.advance(Duration.ofMillis(10));
        assertThat(queued).hasSize(1);
        queued.remove(0).run(); // hands a's and b's samples to the executor: each probe still gets its own
        while (!queued.isEmpty()) {
            queued.remove(0).run();
        }
        clock.advance(Duration.ofMillis(10));
        while (!queued.isEmpty()) {
            queued.remove(0).run();
        }

        assertThat(a.times()).containsExactly(T0.plusMillis(10));
        assertThat(b.times()).containsExactly(T0.plusMillis(10));
        assertThat(c.times()).containsExactly(T0.plusMillis(20));
    }

    @Test
    void shouldCallOffTheTimerOfASlotWhoseProbesAllStopped() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        Watch watch = new Watch(clock, DIRECT, GuardListener.silent())
                .add(new ScriptedProbe("a", clock, "1"), analysis("a", settings().count(5).build(), null))
                .add(new ScriptedProbe("b", clock, "1"), analysis("b", settings().count(5).build(), null));
        CompletableFuture<WatchResult> result = watch.start();
        clock.advance(Duration.ofSeconds(15));
        assertThat(clock.pending()).isEqualTo(1);

        watch.stop("operator abort");

        assertThat(clock.pending()).isZero();
        assertThat(result.join().explanation()).contains("operator abort");
    }

    @Test
    void shouldKeepSamplingTheOtherProbesOfASlotWhenOneThrows() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        Probe broken = new Probe() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Measurement sample() {
                throw new UnsupportedOperationException("only sampled asynchronously here");
            }

            @Override
            public CompletableFuture<Measurement> sampleAsync(final Executor executor) {
                throw new IllegalStateException("bug in a probe"); // on the caller's thread, as a buggy probe might
            }
        };
        ScriptedProbe healthy = new ScriptedProbe("healthy", clock, "1");
        CompletableFuture<WatchResult> result = new Watch(clock, DIRECT, GuardListener.silent())
                .add(broken, analysis("broken", settings().count(2).onError(ErrorPolicy.IGNORE).build(), null))
                .add(healthy, analysis("healthy", settings().count(2).build(), null))
                .start();

        clock.runUntilIdle();

        assertThat(healthy.times()).hasSize(2);
        assertThat(result.join().verdicts().get(0).measurements()).extracting(Measurement::detail)
                .containsOnly("probe failed unexpectedly: IllegalStateException");
    }

    @Test
    void shouldReportProgressLines() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        List<String> lines = new ArrayList<>();
        GuardListener listener = collecting(lines);
        new Watch(clock, DIRECT, listener).add(new ScriptedProbe("p", clock, "0.01", "E", "0.01"),
                analysis("p", settings().interval("30s").count(3).build(), "> 5%")).start();

        clock.runUntilIdle();

        assertThat(lines).containsExactly(
                "p: sample 1/3 SUCCESS value=0.01 (scripted); failures 0; about 60s left",
                "ERROR p: sample 2/3 ERROR (scripted error); failures 0; about 30s left",
                "p PASSED: 0.01; failIf > 5%; 2 judged, 0 failures, 0 inconclusives; 3 of 3 planned samples, every 30s");
    }

    @Test
    void shouldSayWhereAQuarterSecondProbeStandsEveryTenSecondsAndEveryUnsuccessfulSampleAtOnce() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        List<String> lines = new ArrayList<>();
        GuardListener listener = collecting(lines);
        String[] script = new String[120]; // 30 s of 250 ms samples, one error among them
        java.util.Arrays.fill(script, "0.01");
        script[50] = "E";
        new Watch(clock, DIRECT, listener).add(new ScriptedProbe("p", clock, script),
                analysis("p", settings().interval("250ms").count(120).build(), "> 5%")).start();

        clock.runUntilIdle();

        assertThat(lines).filteredOn(line -> line.contains(": sample ")).extracting(line -> line.replaceAll(
                " SUCCESS.*| ERROR \\(.*", "")).containsExactly("p: sample 1/120", "p: sample 41/120",
                "ERROR p: sample 51/120", "p: sample 91/120");
        assertThat(lines.get(lines.size() - 1)).startsWith("p PASSED").contains("120 of 120 planned samples");
    }

    @Test
    void shouldSayACounterResetAtOnceAmongQuietReadings() {
        VirtualScheduler clock = new VirtualScheduler(T0);
        List<String> lines = new ArrayList<>();
        GuardListener listener = collecting(lines);
        new Watch(clock, DIRECT, listener).add(new ScriptedProbe("p", clock, "1/100", "1/110", "1/120", "0/5", "0/15",
                "0/25"), analysis("p", settings().judge("sequential").events("/e").trials("/t").counters(true)
                .allowedRate(0.01).interval("250ms").count(6).build(), null)).start();

        clock.runUntilIdle();

        assertThat(lines).filteredOn(line -> line.contains(": sample ")).extracting(line -> line.replaceAll(
                " SUCCESS.*", "")).containsExactly("p: sample 1/6", "p: sample 4/6");
        assertThat(lines).filteredOn(line -> line.contains("sample 4/6")).singleElement().asString()
                .contains("counter reset");
    }

    /** A listener that adds each line to {@code lines}, an error line with {@code ERROR } before it. */
    private static GuardListener collecting(final List<String> lines) {
        return new GuardListener() {
            @Override
            public void info(final String line) {
                lines.add(line);
            }

            @Override
            public void error(final String line) {
                lines.add("ERROR " + line);
            }
        };
    }

    private static WatchResult run(final AnalysisSettingsBuilder builder, final String failIf, final String... script) {
        VirtualScheduler clock = new VirtualScheduler(T0);
        CompletableFuture<WatchResult> result = watch(clock, new ScriptedProbe("p", clock, script),
                builder.build(), failIf);
        clock.runUntilIdle();
        return result.join();
    }

    private static CompletableFuture<WatchResult> watch(final VirtualScheduler clock, final Probe probe,
            final AnalysisSettings settings, final String failIf) {
        return new Watch(clock, DIRECT, GuardListener.silent()).add(probe, analysis(probe.name(), settings, failIf))
                .start();
    }

    private static Analysis analysis(final String name, final AnalysisSettings settings, final String failIf) {
        return new Analysis(name, settings, Thresholds.parse(name, failIf, null), Baseline.none("not sampled"));
    }

    private static AnalysisSettingsBuilder settings() {
        return AnalysisSettings.builder().interval("10s");
    }
}
