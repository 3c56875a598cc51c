package io.jenkins.plugins.rollbackguard.engine.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.health.judge.CounterDeltas;
import io.jenkins.plugins.rollbackguard.engine.health.judge.Decision;
import io.jenkins.plugins.rollbackguard.engine.health.judge.Effect;
import io.jenkins.plugins.rollbackguard.engine.health.judge.RateCounts;
import io.jenkins.plugins.rollbackguard.engine.health.judge.SequentialRateJudge;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counter readings kept folded: a 250 ms reading for 10 minutes keeps about 60 entries instead of 2,400, the judge
 * counts what it would count of every reading, a restart from a folded snapshot goes on as if never stopped, and
 * errors, resets, the first reading and the tripping one are kept as they came.
 */
class AnalysisFoldTest {
    private static final Instant DEPLOY = Instant.parse("2026-12-03T10:00:00Z");

    private static AnalysisSettings quarterSecond() {
        return AnalysisSettings.builder().judge("sequential").effect("rise > 300%").events("/errors")
                .trials("/requests").counters(true).interval("250ms").duration("10m").build();
    }

    private static HttpProbeSpec spec(final AnalysisSettings settings) {
        return HttpProbeSpec.get("errors", "https://shop.example.com/stats", null, settings);
    }

    private static Analysis analysis(final AnalysisSettings settings) {
        List<Measurement> before = List.of(Measurement.counted(DEPLOY.minusSeconds(3600), 1000, 100_000, ""),
                Measurement.counted(DEPLOY, 1360, 136_000, "")); // 1% of 36,000 requests in the hour before
        return Analysis.of(spec(settings), Baseline.median(before));
    }

    /** Seeded readings of two counters every 250 ms at 10 requests a second, errors at the given rate. */
    private static List<Measurement> readings(final long seed, final double errorRate, final int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Measurement> out = new ArrayList<>();
        long events = 1360;
        long trials = 136_000;
        for (int i = 0; i < count; i++) {
            int requests = random.nextInt(6); // 0..5 in a quarter second: 2.5 on average
            for (int r = 0; r < requests; r++) {
                events += random.nextDouble() < errorRate ? 1 : 0;
            }
            trials += requests;
            out.add(Measurement.counted(DEPLOY.plusMillis(250L * i), events, trials, ""));
        }
        return out;
    }

    @Test
    void shouldKeepAboutOneEntryPerTenSecondsOfQuarterSecondReadings() {
        Analysis analysis = analysis(quarterSecond());
        readings(1, 0.01, 2400).forEach(analysis::record);
        Verdict verdict = analysis.verdict().orElseThrow();
        assertThat(verdict.status()).isEqualTo(VerdictStatus.PASSED);
        assertThat(verdict.samples()).as("every reading counted").isEqualTo(2400);
        assertThat(verdict.explanation()).contains("after 2400 samples");
        assertThat(verdict.explained().samples()).isEqualTo(2400);
        assertThat(verdict.measurements()).as("the first, then one per 40 readings").hasSizeLessThanOrEqualTo(62);
        assertThat(verdict.measurements().get(0).readingCount()).as("the first reading only starts the count")
                .isEqualTo(1);
        assertThat(verdict.measurements().get(1).readingCount()).isEqualTo(40); // 10 s of 250 ms readings
        assertThat(verdict.measurements().get(1).describe()).endsWith("[the last of 40 readings]");
        String kept = WatchState.writeSnapshots(Map.of("errors", analysis.snapshot()));
        System.out.printf("250 ms readings for 10 min: %d entries kept of 2400, snapshot %d characters%n",
                verdict.measurements().size(), kept.length());
        assertThat(kept.length()).as("was about 300,000 characters unfolded").isLessThan(15_000);
    }

    @Test
    void shouldTripOnTheSameReadingAsTheJudgeFedEveryReading() {
        for (long seed = 10; seed < 30; seed++) {
            List<Measurement> bad = readings(seed, 0.05, 2400);
            Analysis analysis = analysis(quarterSecond());
            for (Measurement m : bad) {
                if (analysis.record(m).isFinal()) {
                    break;
                }
            }
            // the reference: the engine's own judge fed every reading's delta, nothing folded
            SequentialRateJudge reference = new SequentialRateJudge(new SequentialRateJudge.Settings(
                    Effect.parse("rise > 300%"), 0.01, 0.1, null), new RateCounts(360, 36_000));
            CounterDeltas deltas = new CounterDeltas();
            int tripped = -1;
            for (int i = 0; i < bad.size() && tripped < 0; i++) {
                RateCounts counts = deltas.next(bad.get(i).events(), bad.get(i).trials())
                        .map(CounterDeltas.Delta::counts).orElse(RateCounts.NONE);
                tripped = reference.add(counts).decision() == Decision.TRIP ? i : -1;
            }
            Verdict verdict = analysis.verdict().orElseThrow();
            assertThat(tripped).as("seed %d trips", seed).isNotNegative();
            assertThat(verdict.status()).isEqualTo(VerdictStatus.FAILED);
            assertThat(verdict.samples()).as("seed %d", seed).isEqualTo(tripped + 1);
            assertThat(verdict.explained().sampleSize()).isEqualTo(reference.current().sampleSize());
            Measurement last = verdict.measurements().get(verdict.measurements().size() - 1);
            assertThat(last.readingCount()).as("the tripping reading kept as it came").isEqualTo(1);
            assertThat(last.at()).isEqualTo(bad.get(tripped).at());
        }
    }

    @Test
    void shouldGoOnFromAFoldedSnapshotAsIfNeverStopped() {
        List<Measurement> all = readings(3, 0.02, 2400);
        Analysis straight = analysis(quarterSecond());
        all.forEach(straight::record);

        Analysis first = analysis(quarterSecond());
        all.subList(0, 1001).forEach(first::record);
        String kept = WatchState.writeSnapshots(Map.of("errors", first.snapshot()));
        Analysis resumed = Analysis.restore(spec(quarterSecond()),
                WatchState.readSnapshots(kept).get("errors"));
        assertThat(resumed.state().samples()).isEqualTo(1001);
        all.subList(1001, all.size()).forEach(resumed::record);

        Verdict expected = straight.verdict().orElseThrow();
        Verdict actual = resumed.verdict().orElseThrow();
        assertThat(actual.status()).isEqualTo(expected.status());
        assertThat(actual.samples()).isEqualTo(2400);
        assertThat(actual.measurements()).isEqualTo(expected.measurements());
        assertThat(actual.explained().rule()).isEqualTo(expected.explained().rule());
        assertThat(actual.explained().judged()).as("a folded reading is judged as the readings it stands for")
                .isEqualTo(expected.explained().judged()).isEqualTo(2400);
        assertThat(actual.explained().text()).isEqualTo(expected.explained().text());
    }

    @Test
    void shouldKeepErrorsResetsAndTheFirstReadingAsTheyCame() {
        Analysis analysis = analysis(quarterSecond());
        List<Measurement> seen = new ArrayList<>(readings(4, 0.01, 20));
        seen.add(Measurement.withoutValue(DEPLOY.plusMillis(5000), Outcome.ERROR, "connection refused"));
        seen.add(Measurement.counted(DEPLOY.plusMillis(5250), 3, 40, "")); // the process restarted: a reset
        for (int i = 1; i <= 8; i++) {
            seen.add(Measurement.counted(DEPLOY.plusMillis(5250 + 250L * i), 3, 40 + 3L * i, ""));
        }
        seen.forEach(analysis::record);
        List<Measurement> kept = analysis.snapshot().measurements();
        assertThat(kept.get(0).readingCount()).isEqualTo(1);
        assertThat(kept.get(1).readingCount()).isEqualTo(19);
        assertThat(kept.get(2).outcome()).isEqualTo(Outcome.ERROR);
        assertThat(kept.get(3).detail()).contains("counter reset");
        assertThat(kept.get(3).readingCount()).isEqualTo(1);
        assertThat(kept.get(4).readingCount()).as("the readings after the reset fold among themselves").isEqualTo(8);
        assertThat(analysis.state().samples()).isEqualTo(30);
    }

    @Test
    void shouldWriteNoReadingsFieldForOneReadingSoThatOlderSnapshotsReadTheSame() {
        Analysis analysis = analysis(AnalysisSettings.builder().judge("sequential").events("/errors")
                .trials("/requests").counters(true).interval("10s").duration("10m").build());
        readings(5, 0.01, 5).forEach(analysis::record);
        String kept = WatchState.writeSnapshots(Map.of("errors", analysis.snapshot()));
        assertThat(kept).as("at 10 s nothing folds").doesNotContain("readings");
        int measured = kept.indexOf("\"measurements\"");
        String folded = kept.substring(0, measured) + kept.substring(measured)
                .replaceFirst("\"trials\":(\\d+(\\.\\d+)?)", "\"trials\":$1,\"readings\":40");
        assertThat(WatchState.readSnapshots(folded).get("errors").measurements().get(0).readingCount()).isEqualTo(40);
        assertThat(WatchState.readSnapshots(kept).get("errors").measurements().get(0).readingCount()).isEqualTo(1);
    }
}
