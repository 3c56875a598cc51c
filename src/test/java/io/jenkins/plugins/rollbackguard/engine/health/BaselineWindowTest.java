package io.jenkins.plugins.rollbackguard.engine.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.health.judge.RateCounts;

/**
 * Tests {@code analysis.baselineWindow}: its one-sentence refusals, the baseline read from history in one pair of
 * readings (the window's start and the deploy), counted as their difference, and a resumed machine that keeps the
 * readings it recorded instead of reading again.
 */
class BaselineWindowTest {
    private static final Instant DEPLOY = Instant.parse("2026-12-03T10:00:00Z");

    /** A counting probe that answers from a fixed history: cumulative counters at 10 requests a second, 1% errors. */
    private static final class History implements Probe {
        private final List<Instant> asked = new ArrayList<>();

        @Override
        public String name() {
            return "error-rate";
        }

        @Override
        public Measurement sample() {
            throw new AssertionError("a history baseline takes no live sample");
        }

        @Override
        public Optional<CompletableFuture<Measurement>> sampleAt(final Instant at) {
            asked.add(at);
            long seconds = at.getEpochSecond() - DEPLOY.minusSeconds(86_400).getEpochSecond();
            return Optional.of(CompletableFuture.completedFuture(Measurement.counted(at, seconds / 10.0,
                    seconds * 10.0, "")));
        }
    }

    private static AnalysisSettingsBuilder counting() {
        return AnalysisSettings.builder().judge("sequential").events("errors").trials("requests").counters(true);
    }

    @Test
    void shouldReadTheWindowsStartAndTheDeployAndCountTheirDifference() {
        History probe = new History();
        List<List<Measurement>> told = new ArrayList<>();

        Baseline baseline = Baseline.history(probe, Duration.ofHours(1), DEPLOY, List.of(), told::add).orElseThrow()
                .join();

        assertThat(probe.asked).containsExactly(DEPLOY.minusSeconds(3600), DEPLOY);
        assertThat(told).hasSize(1).first().asList().hasSize(2);
        assertThat(ProbeJudge.baselineCounts(baseline.sampled(), true)).as("an hour at 10 a second, 1% errors")
                .isEqualTo(new RateCounts(360, 36_000));
    }

    @Test
    void shouldKeepTheReadingsRecordedBeforeARestart() {
        History probe = new History();
        List<Measurement> recorded = List.of(Measurement.counted(DEPLOY.minusSeconds(3600), 10, 1_000, ""),
                Measurement.counted(DEPLOY, 30, 3_000, ""));

        Baseline baseline = Baseline.history(probe, Duration.ofHours(1), DEPLOY.plusSeconds(120), recorded,
                m -> { throw new AssertionError("nothing new to record"); }).orElseThrow().join();

        assertThat(probe.asked).as("nothing read again after the restart").isEmpty();
        assertThat(ProbeJudge.baselineCounts(baseline.sampled(), true)).isEqualTo(new RateCounts(20, 2_000));
    }

    @Test
    void shouldReadBothAgainWhenOnlyOneWasRecorded() {
        History probe = new History();
        List<Measurement> one = List.of(Measurement.counted(DEPLOY.minusSeconds(3600), 10, 1_000, ""));

        Baseline.history(probe, Duration.ofHours(1), DEPLOY, one, m -> { }).orElseThrow().join();

        assertThat(probe.asked).containsExactly(DEPLOY.minusSeconds(3600), DEPLOY);
    }

    @Test
    void shouldLeaveAProbeWithoutHistoryToBeSampled() {
        Probe live = new Probe() {
            @Override
            public String name() {
                return "p";
            }

            @Override
            public Measurement sample() {
                return Measurement.counted(DEPLOY, 1, 10, "");
            }
        };

        assertThat(Baseline.history(live, Duration.ofHours(1), DEPLOY, List.of(), m -> { })).isEmpty();
    }

    @Test
    void shouldRefuseAWindowWithoutCountersInOneSentence() {
        assertThatThrownBy(() -> AnalysisSettings.builder().judge("sequential").events("e").trials("t")
                .baselineWindow("1h").build()).hasMessage("analysis.baselineWindow: '1h' reads the counters' "
                        + "history, so it needs judge: sequential with counters: true; add both or remove "
                        + "analysis.baselineWindow");
        assertThatThrownBy(() -> AnalysisSettings.builder().baselineWindow("1h").build())
                .hasMessageStartingWith("analysis.baselineWindow: '1h' reads the counters' history");
    }

    @Test
    void shouldRefuseAZeroOrUnreadableWindowNamingTheField() {
        assertThatThrownBy(() -> counting().baselineWindow("0s").build()).hasMessage("analysis.baselineWindow: must "
                + "be positive, got '0s'; give a window such as 1h, or remove it to sample the baseline");
        assertThatThrownBy(() -> counting().baselineWindow("an hour").build())
                .hasMessageStartingWith("analysis.baselineWindow");
    }

    @Test
    void shouldRefuseAWindowOnAProbeWithoutHistory() {
        AnalysisSettings settings = AnalysisSettings.builder().judge("sequential").events("/errors")
                .trials("/requests").counters(true).baselineWindow("1h").build();
        assertThat(settings.baselineWindowDuration()).contains(Duration.ofHours(1));

        assertThatThrownBy(() -> new HttpProbeSpec("shop", "https://shop.example.com/stats", null, null, null, null,
                null, null, null, "10s", null, null, null, null, settings)).hasMessage("analysis.baselineWindow: '1h' "
                        + "reads a baseline from Prometheus' history, and only a Prometheus probe has one; remove it and "
                        + "sample the baseline with analysis.baselineSamples");
    }

    @Test
    void shouldSampleWhenNoWindowIsGiven() {
        assertThat(counting().build().baselineWindowDuration()).isEmpty();
        assertThat(counting().baselineWindow(" ").build().baselineWindow()).isNull();
    }
}
