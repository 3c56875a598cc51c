package io.jenkins.plugins.rollbackguard.engine.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay from a folded snapshot stands where the live analysis stood, also when the first counter reading is not
 * the first entry of the watch (an error or no data came before it), and when one reading's events rose more than
 * its trials (two queries are not atomic).
 */
class AnalysisFoldReplayTest {
    private static final Instant DEPLOY = Instant.parse("2026-12-03T10:00:00Z");

    private static AnalysisSettings quarterSecond(final ErrorPolicy onNoData) {
        return AnalysisSettings.builder().judge("sequential").effect("rise > 300%").events("/errors")
                .trials("/requests").counters(true).interval("250ms").duration("10m").onNoData(onNoData).build();
    }

    private static HttpProbeSpec spec(final AnalysisSettings settings) {
        return HttpProbeSpec.get("errors", "https://shop.example.com/stats", null, settings);
    }

    private static Analysis analysis(final AnalysisSettings settings) {
        List<Measurement> before = List.of(Measurement.counted(DEPLOY.minusSeconds(3600), 1000, 100_000, ""),
                Measurement.counted(DEPLOY, 1360, 136_000, ""));
        return Analysis.of(spec(settings), Baseline.median(before));
    }

    private static Analysis replayed(final Analysis live, final AnalysisSettings settings) {
        String kept = WatchState.writeSnapshots(Map.of("errors", live.snapshot()));
        return Analysis.restore(spec(settings), WatchState.readSnapshots(kept).get("errors"));
    }

    /** Counter readings every 250 ms, 10 requests each, no error. */
    private static List<Measurement> plain(final int from, final int count) {
        List<Measurement> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(Measurement.counted(DEPLOY.plusMillis(250L * i), 1360, 136_000 + 10L * i, ""));
        }
        return out;
    }

    private static void assertSameJudge(final Analysis live, final Analysis replay) {
        Verdict a = live.stop("compare");
        Verdict b = replay.stop("compare");
        assertThat(b.explained().sampleSize()).as("the trials the judge counted").isEqualTo(a.explained().sampleSize());
        assertThat(b.explained().text()).isEqualTo(a.explained().text());
    }

    @Test
    void shouldReplayTheSameCountsWhenAnErrorCameBeforeTheFirstReading() {
        AnalysisSettings settings = quarterSecond(ErrorPolicy.INCONCLUSIVE);
        Analysis live = analysis(settings);
        live.record(Measurement.withoutValue(DEPLOY, Outcome.ERROR, "connection refused"));
        plain(1, 20).forEach(live::record);
        assertSameJudge(live, replayed(live, settings));
    }

    @Test
    void shouldReplayTheSameCountsWhenIgnoredNoDataCameBeforeTheFirstReading() {
        AnalysisSettings settings = quarterSecond(ErrorPolicy.IGNORE);
        Analysis live = analysis(settings);
        live.record(Measurement.withoutValue(DEPLOY, Outcome.NO_DATA, "no series yet"));
        plain(1, 20).forEach(live::record);
        assertSameJudge(live, replayed(live, settings));
    }

    @Test
    void shouldReplayTheSameCountsWhenEventsRoseMoreThanTrialsInOneReading() {
        AnalysisSettings settings = quarterSecond(ErrorPolicy.INCONCLUSIVE);
        Analysis live = analysis(settings);
        live.record(Measurement.counted(DEPLOY, 10, 100, ""));
        live.record(Measurement.counted(DEPLOY.plusMillis(250), 10, 200, ""));
        live.record(Measurement.counted(DEPLOY.plusMillis(500), 11, 200, "")); // events read after a scrape
        live.record(Measurement.counted(DEPLOY.plusMillis(750), 11, 300, ""));
        assertSameJudge(live, replayed(live, settings));
    }
}
