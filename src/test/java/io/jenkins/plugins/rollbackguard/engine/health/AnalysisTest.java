package io.jenkins.plugins.rollbackguard.engine.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.rollbackguard.engine.health.probe.ProbeFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** Tests the class {@link Analysis}: classification, snapshots through Java serialisation. */
class AnalysisTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final HttpProbeSpec SPEC = HttpProbeSpec.get("latency", "https://shop.example.com/", "> 800",
            AnalysisSettings.builder().count(5).failureLimit(1).build());

    @Test
    void shouldRestoreTheSameStateFromASerialisedSnapshot() throws Exception {
        Analysis analysis = Analysis.of(SPEC, Baseline.of(300));
        analysis.record(Measurement.of(T0, 900, Outcome.SUCCESS, "slow"));
        analysis.record(Measurement.withoutValue(T0, Outcome.ERROR, "unreadable"));
        analysis.record(Measurement.of(T0, 200, Outcome.SUCCESS, "fast"));

        Analysis restored = Analysis.restore(SPEC, roundTrip(analysis.snapshot()));

        assertThat(restored.state()).isEqualTo(analysis.state());
        assertThat(restored.record(Measurement.of(T0, 1000, Outcome.SUCCESS, "")).finalVerdict().status())
                .isEqualTo(VerdictStatus.FAILED);
    }

    @Test
    void shouldClassifyValuesByTheThresholdsOnly() {
        Analysis analysis = Analysis.of(SPEC, Baseline.none("-"));

        assertThat(analysis.record(Measurement.of(T0, 900, Outcome.SUCCESS, "")).last().outcome())
                .isEqualTo(Outcome.FAILURE);
        assertThat(analysis.record(Measurement.withoutValue(T0, Outcome.SUCCESS, "")).last())
                .extracting(Measurement::outcome, Measurement::detail)
                .containsExactly(Outcome.ERROR, "no value to compare with the thresholds");
        assertThat(analysis.record(Measurement.of(T0, 100, Outcome.FAILURE, "status 500")).last().outcome())
                .isEqualTo(Outcome.FAILURE);
    }

    @Test
    void shouldWarnAboutASmallCommonPool() {
        assertThat(ProbeFactory.asyncPoolWarning().isPresent())
                .isEqualTo(ForkJoinPool.getCommonPoolParallelism() < 2);
    }

    private static AnalysisSnapshot roundTrip(final AnalysisSnapshot snapshot) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(snapshot);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (AnalysisSnapshot) in.readObject();
        }
    }
}
