package io.jenkins.plugins.rollbackguard.engine.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests the class {@link WatchState}: what a Jenkins step keeps across a restart comes back the same. */
class WatchStateTest {
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00.123456789Z");

    private static AnalysisSnapshot snapshot() {
        HttpProbeSpec spec = HttpProbeSpec.get("checkout", "http://localhost/", "drop > 20%",
                AnalysisSettings.builder().interval("10s").count(10).failureLimit(1).build());
        Analysis analysis = Analysis.of(spec, Baseline.of(0.97));
        analysis.record(Measurement.of(T0, 0.96, Outcome.SUCCESS, "value at /rate"));
        analysis.record(Measurement.withoutValue(T0.plusSeconds(10), Outcome.ERROR, "body is not JSON"));
        analysis.record(Measurement.of(T0.plusSeconds(20), 0.70, Outcome.SUCCESS, "value at /rate"));
        analysis.record(Measurement.withoutValue(T0.plusSeconds(30), Outcome.NO_DATA, "empty result \"quoted\""));
        return analysis.snapshot();
    }

    @Test
    void shouldGiveBackTheSameSnapshotsInTheirOrder() {
        Map<String, AnalysisSnapshot> before = new LinkedHashMap<>();
        before.put("zeta", new AnalysisSnapshot("zeta", Baseline.none("not sampled"), List.of()));
        before.put("checkout", snapshot());

        Map<String, AnalysisSnapshot> after = WatchState.readSnapshots(WatchState.writeSnapshots(before));

        assertThat(after).containsExactlyEntriesOf(before); // NaN values and nanoseconds included
        assertThat(after.get("checkout").measurements().get(1).value()).isNaN();
    }

    @Test
    void shouldRestoreTheSameCountsAfterARoundTrip() {
        AnalysisSnapshot snapshot = snapshot();
        HttpProbeSpec spec = HttpProbeSpec.get("checkout", "http://localhost/", "drop > 20%",
                AnalysisSettings.builder().interval("10s").count(10).failureLimit(1).build());

        AnalysisState direct = Analysis.restore(spec, snapshot).state();
        AnalysisState restored = Analysis.restore(spec,
                WatchState.readSnapshots(WatchState.writeSnapshots(Map.of("checkout", snapshot))).get("checkout"))
                .state();

        assertThat(restored).isEqualTo(direct);
        assertThat(restored.samples()).isEqualTo(4);
        assertThat(restored.failures()).isEqualTo(1); // 0.70 is a drop of 27.8% from 0.97
    }

    @Test
    void shouldGiveBackBaselinesIncludingMissingOnes() {
        Map<String, Baseline> before = new LinkedHashMap<>();
        before.put("payments", Baseline.of(0.97));
        before.put("latency", Baseline.none("no sample had a value"));

        assertThat(WatchState.readBaselines(WatchState.writeBaselines(before))).containsExactlyEntriesOf(before);
    }

    @Test
    void shouldReadNothingAsEmpty() {
        assertThat(WatchState.readSnapshots(null)).isEmpty();
        assertThat(WatchState.readSnapshots("")).isEmpty();
        assertThat(WatchState.readBaselines("  ")).isEmpty();
    }

    @Test
    void shouldIgnoreFieldsAddedByANewerVersion() {
        String text = "{\"p\":{\"median\":0.5,\"samples\":3,\"reason\":\"\",\"spread\":0.1}}";

        assertThat(WatchState.readBaselines(text)).containsEntry("p", new Baseline(0.5, 3, ""));
    }

    @Test
    void shouldRefuseTextThatIsNoWatchStateAndSaySo() {
        assertThatIllegalArgumentException().isThrownBy(() -> WatchState.readSnapshots("rO0ABXNyABdqYXZh"))
                .withMessageStartingWith("the persisted analysis snapshots are not readable")
                .withMessageContaining("'rO0ABXNyABdqYXZh'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WatchState.readSnapshots("{\"p\":{\"probe\":\"p\",\"measurements\":[{\"value\":1}]}}"))
                .withMessageContaining("analysis snapshots");
    }
}
