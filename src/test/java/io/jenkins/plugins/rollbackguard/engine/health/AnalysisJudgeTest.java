package io.jenkins.plugins.rollbackguard.engine.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The statistical judges inside {@link Analysis}, as the watch drives them: counts and values from measurements,
 * counter resets, each probe's own alpha, the explanation, and a restart mid-judgement.
 */
class AnalysisJudgeTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static HttpProbeSpec rateProbe(final AnalysisSettingsBuilder analysis) {
        return HttpProbeSpec.get("errors", "https://shop.example.com/stats", null,
                analysis.judge("sequential").events("/errors").trials("/requests").build());
    }

    private static Measurement counted(final int i, final double events, final double trials) {
        return Measurement.counted(T0.plusSeconds(10L * i), events, trials, "");
    }

    /** Seeded shop traffic: {@code perSample} requests a sample, each an error with probability {@code rate}. */
    private static List<Measurement> traffic(final long seed, final double rate, final int samples,
            final int perSample, final boolean cumulative) {
        Random random = new Random(seed);
        List<Measurement> taken = new ArrayList<>();
        long errors = 0;
        long requests = 0;
        for (int i = 0; i < samples; i++) {
            long e = 0;
            for (int r = 0; r < perSample; r++) {
                e += random.nextDouble() < rate ? 1 : 0;
            }
            errors = cumulative ? errors + e : e;
            requests = cumulative ? requests + perSample : perSample;
            taken.add(counted(i, errors, requests));
        }
        return taken;
    }

    private static Baseline baseline(final List<Measurement> sampled) {
        return Baseline.median(sampled);
    }

    @Test
    void shouldTripAnErrorRateThatRoseAndExplainTheSampleSizeAlphaAndBeta() {
        HttpProbeSpec spec = rateProbe(AnalysisSettings.builder().count(30));
        Analysis analysis = Analysis.of(spec, baseline(traffic(1, 0.01, 30, 100, false)));
        for (Measurement m : traffic(2, 0.05, 30, 100, false)) {
            analysis.record(m);
        }
        Verdict verdict = analysis.verdict().orElseThrow();
        assertThat(verdict.status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(verdict.measurements().size()).as("tripped before the end of the watch").isLessThan(30);
        VerdictExplanation explained = verdict.explained();
        assertThat(explained.judge()).isEqualTo("sequential");
        assertThat(explained.sampleSize()).isEqualTo(100L * verdict.measurements().size());
        assertThat(explained.alpha()).as("the probe's own alpha, not split across the policy's probes").isEqualTo(0.01);
        assertThat(explained.beta()).isEqualTo(0.1);
        assertThat(explained.rule()).contains("sequential test:", "reached the trip bound");
        assertThat(explained.text()).contains("sequential judge, sample " + explained.sampleSize(), "alpha 0.01",
                "beta 0.1");
        assertThat(explained.metric()).isEqualTo("the rate of /errors out of /requests in the answer of GET "
                + "https://shop.example.com/stats");
    }

    @Test
    void shouldWatchAHealthyRateToTheEndOfTheWatchThenPassBelowThePassBound() {
        HttpProbeSpec spec = rateProbe(AnalysisSettings.builder().count(30));
        Analysis analysis = Analysis.of(spec, baseline(traffic(3, 0.01, 30, 100, false)));
        List<Measurement> healthy = traffic(4, 0.01, 30, 100, false);
        for (Measurement m : healthy.subList(0, 29)) {
            analysis.record(m);
        }
        assertThat(analysis.verdict()).as("no pass before the end: a bad deploy may start well").isEmpty();
        analysis.record(healthy.get(29));
        assertThat(analysis.verdict().orElseThrow().status()).isEqualTo(VerdictStatus.PASSED);
        assertThat(analysis.verdict().orElseThrow().measurements()).hasSize(30);
        assertThat(analysis.verdict().orElseThrow().explained().rule()).contains("at the end of the watch",
                "pass bound");
    }

    @Test
    void shouldBeInconclusiveOnTooLittleTrafficNeverPass() {
        HttpProbeSpec spec = rateProbe(AnalysisSettings.builder().count(6));
        Analysis analysis = Analysis.of(spec, baseline(traffic(5, 0.01, 5, 100, false)));
        for (int i = 0; i < 6; i++) {
            analysis.record(counted(i, 0, 3)); // 1 request every 3 s, none failing: too few to tell
        }
        Verdict verdict = analysis.verdict().orElseThrow();
        assertThat(verdict.status()).isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(verdict.explained().rule()).contains("only 18 of the", "trials needed to pass");
    }

    @Test
    void shouldRestartTheCountAtACounterResetAndNeverJudgeItNegative() {
        HttpProbeSpec spec = rateProbe(AnalysisSettings.builder().count(5).counters(true));
        // recorded counters: the deploy restarted the process after the second sample
        Analysis analysis = Analysis.of(spec, baseline(List.of(counted(0, 100, 10_000), counted(1, 110, 11_000),
                counted(2, 120, 12_000))));
        assertThat(analysis.record(counted(3, 125, 12_500)).last().detail()).as("the first reading starts the count")
                .doesNotContain("reset");
        AnalysisState reset = analysis.record(counted(4, 30, 300));
        assertThat(reset.last().detail()).contains("counter reset");
        assertThat(reset.last().outcome()).isEqualTo(Outcome.SUCCESS);
        Verdict verdict = analysis.verdict().orElseThrow();
        // 30 errors in the 300 requests since the restart: neither 30 - 125 nor a jump from 12,500 to 300
        assertThat(verdict.status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(verdict.explained().sampleSize()).isEqualTo(300);
        assertThat(verdict.explained().rule()).contains("30 bad events in 300 trials");
        assertThat(verdict.explained().detail()).contains("counter reset");
    }

    @Test
    void shouldGoOnFromASnapshotMidJudgementAsIfNeverStopped() {
        HttpProbeSpec spec = rateProbe(AnalysisSettings.builder().count(30).counters(true));
        Baseline base = baseline(traffic(6, 0.01, 10, 100, true));
        List<Measurement> after = traffic(7, 0.03, 30, 20, true); // 2 requests a second: the test takes a while
        Analysis straight = Analysis.of(spec, base);
        after.forEach(straight::record);

        Analysis first = Analysis.of(spec, base);
        after.subList(0, 5).forEach(first::record);
        assertThat(first.verdict()).as("still judging at the restart").isEmpty();
        String kept = WatchState.writeSnapshots(Map.of("errors", first.snapshot()));
        Analysis resumed = Analysis.restore(spec, WatchState.readSnapshots(kept).get("errors"));
        after.subList(5, after.size()).forEach(resumed::record);

        Verdict expected = straight.verdict().orElseThrow();
        Verdict actual = resumed.verdict().orElseThrow();
        assertThat(actual.status()).isEqualTo(expected.status());
        assertThat(actual.measurements()).hasSameSizeAs(expected.measurements());
        assertThat(actual.explained().rule()).isEqualTo(expected.explained().rule());
        assertThat(actual.explained().sampleSize()).isEqualTo(expected.explained().sampleSize()).isGreaterThan(100);
    }

    @Test
    void shouldReadASnapshotWrittenBeforeJudgesExisted() {
        String old = "{\"p\":{\"probe\":\"p\",\"baseline\":{\"median\":210.0,\"samples\":5,\"reason\":\"\"},"
                + "\"measurements\":[{\"at\":\"2026-01-01T00:00:00Z\",\"value\":220.0,\"outcome\":\"SUCCESS\","
                + "\"detail\":\"\"}]}}";
        AnalysisSnapshot snapshot = WatchState.readSnapshots(old).get("p");
        assertThat(snapshot.baseline().sampled()).isEmpty();
        assertThat(snapshot.baseline().median()).isEqualTo(210);
        assertThat(snapshot.measurements().get(0).hasCounts()).isFalse();
        Analysis restored = Analysis.restore(HttpProbeSpec.get("p", "https://shop.example.com/", "rise > 50%",
                AnalysisSettings.builder().count(2).build()), snapshot);
        assertThat(restored.record(Measurement.of(T0, 230, Outcome.SUCCESS, "")).finalVerdict().status())
                .isEqualTo(VerdictStatus.PASSED);
    }

    @Test
    void shouldTripALatencyRiseByTheMannWhitneyJudge() {
        Random random = new Random(11);
        List<Measurement> before = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            before.add(Measurement.of(T0, 200 * Math.exp(0.3 * random.nextGaussian()), Outcome.SUCCESS, ""));
        }
        HttpProbeSpec spec = HttpProbeSpec.get("latency", "https://shop.example.com/", null,
                AnalysisSettings.builder().count(30).judge("mann-whitney").build());
        Analysis analysis = Analysis.of(spec, Baseline.median(before));
        for (int i = 0; i < 30; i++) {
            analysis.record(Measurement.of(T0, 500 * Math.exp(0.3 * random.nextGaussian()), Outcome.SUCCESS, ""));
        }
        Verdict verdict = analysis.verdict().orElseThrow();
        assertThat(verdict.status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(verdict.measurements()).as("tripped at its minimum samples").hasSize(20);
        assertThat(verdict.explained().judge()).isEqualTo("mann-whitney");
        assertThat(verdict.explained().sampleSize()).isEqualTo(20);
        assertThat(verdict.explained().alpha()).isEqualTo(0.01);
        assertThat(verdict.explained().beta()).isNull();
    }

    @Test
    void shouldSayInADryRunWhatTheJudgeWouldHaveDecided() {
        HttpProbeSpec tripping = rateProbe(AnalysisSettings.builder().count(10).dryRun(true));
        Analysis bad = Analysis.of(tripping, baseline(traffic(8, 0.01, 30, 100, false)));
        traffic(9, 0.2, 10, 100, false).forEach(bad::record);
        assertThat(bad.verdict().orElseThrow().status()).isEqualTo(VerdictStatus.PASSED);
        assertThat(bad.verdict().orElseThrow().explanation()).contains("dry run, would be errors: FAILED", "sequential test");

        HttpProbeSpec quiet = rateProbe(AnalysisSettings.builder().count(3).dryRun(true));
        Analysis few = Analysis.of(quiet, baseline(traffic(10, 0.01, 30, 100, false)));
        traffic(11, 0.01, 3, 2, false).forEach(few::record);
        assertThat(few.verdict().orElseThrow().explanation()).contains("dry run, would be errors: INCONCLUSIVE",
                "trials needed to pass");
    }

    @Test
    void shouldNameTheFieldValueAndFixOfEveryBadJudgeSetting() {
        assertThatThrownBy(() -> AnalysisSettings.builder().judge("bayes").build())
                .hasMessage("analysis.judge: expected threshold, sequential or mann-whitney, got 'bayes'");
        assertThatThrownBy(() -> AnalysisSettings.builder().judge("sequential").events("/errors").build())
                .hasMessageStartingWith("analysis.trials: judge: sequential counts events out of trials; give "
                        + "analysis.events and analysis.trials");
        assertThatThrownBy(() -> AnalysisSettings.builder().effect("rise > 50%").build())
                .hasMessage("analysis.effect: 'rise > 50%' is read only by judge: sequential or mann-whitney; add "
                        + "'judge: sequential' to the analysis or remove analysis.effect");
        assertThatThrownBy(() -> AnalysisSettings.builder().judge("mann-whitney").beta(0.2).build())
                .hasMessage("analysis.beta: '0.2' is read only by judge: sequential; add 'judge: sequential' to the "
                        + "analysis or remove analysis.beta");
        assertThatThrownBy(() -> AnalysisSettings.builder().judge("sequential").events("/e").trials("/t").alpha(0.0)
                .build()).hasMessage("analysis.alpha: must be above 0 and below 0.5, e.g. 0.01, got 0.0");
        assertThatThrownBy(() -> HttpProbeSpec.get("errors", "https://shop.example.com/stats", null,
                AnalysisSettings.builder().judge("sequential").events("errors").trials("/requests").build()))
                .hasMessage("analysis.events: 'errors' is not a JSON pointer; write it from the root of the JSON "
                        + "answer, e.g. '/errors'");
    }
}
