package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.testing.MetricsExporter;
import io.jenkins.plugins.rollbackguard.engine.testing.PrometheusServer;

/**
 * Tests {@code analysis.baselineWindow} through the guard's baselines phase against a real Prometheus: the baseline
 * is two readings of the counters' history, at the deploy and a window before it, told to the recorder (the ledger
 * keeps them); a guard resumed after a restart with those readings recorded reads nothing again.
 */
@Tag("slow")
class GuardSessionBaselineWindowTest {
    @TempDir
    private Path root;

    private static Policy policy(final String url) {
        return new PolicyReader().parse("history.yaml", """
                environment: history
                probes:
                  - type: prometheus
                    name: errors
                    url: %s
                    analysis:
                      judge: sequential
                      events: sum(app_requests_total{status="error"}) or vector(0)
                      trials: sum(app_requests_total)
                      counters: true
                      interval: 1s
                      duration: 10s
                      baselineWindow: 3s
                """.formatted(url));
    }

    @Test
    void shouldReadTheBaselineFromHistoryAndKeepItAcrossARestart() throws Exception {
        if (!PrometheusServer.isInstalled()) {
            Assumptions.assumeThat(Boolean.getBoolean(PrometheusServer.ALLOW_MISSING)).as("prometheus missing")
                    .isFalse();
            throw new AssertionError("prometheus binary missing: install the Debian package prometheus");
        }
        try (MetricsExporter exporter = new MetricsExporter();
                PrometheusServer prometheus = PrometheusServer.start(exporter.target());
                MachineRig rig = new MachineRig(root, 1)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> prometheus.query("sum(app_requests_total)").contains("\"value\""));
            Thread.sleep(4_000); // the window's start must lie after the first scrape
            GuardSession session = rig.session(policy(prometheus.url()));
            List<List<Measurement>> recorded = new ArrayList<>();
            Instant before = rig.scheduler().now();

            Map<String, Baseline> read = session.baselines(null, Map.of(), Map.of(), spec -> session.probes().create(spec),
                    new CompletableFuture<>(), (spec, samples) -> recorded.add(samples)).get(30, TimeUnit.SECONDS);

            List<Measurement> readings = read.get("errors").sampled();
            assertThat(readings).hasSize(2).allSatisfy(m -> assertThat(m.outcome()).as(m.describe())
                    .isEqualTo(Outcome.SUCCESS));
            assertThat(Duration.between(readings.get(0).at(), readings.get(1).at())).isEqualTo(Duration.ofSeconds(3));
            assertThat(readings.get(1).at()).isBetween(before, rig.scheduler().now());
            assertThat(readings.get(1).trials()).as("the window's traffic").isGreaterThan(readings.get(0).trials());
            assertThat(recorded).containsExactly(readings);

            // resumed after a restart: the readings the ledger kept are the baseline, nothing is read again
            Map<String, Baseline> resumed = rig.session(policy(prometheus.url())).baselines(null, Map.of(),
                    Map.of("errors", readings), spec -> new io.jenkins.plugins.rollbackguard.engine.health.Probe() {
                        @Override
                        public String name() {
                            return spec.name();
                        }

                        @Override
                        public Measurement sample() {
                            throw new AssertionError("a resumed guard samples nothing");
                        }

                        @Override
                        public java.util.Optional<CompletableFuture<Measurement>> sampleAt(final Instant at) {
                            throw new AssertionError("a resumed guard reads no history again");
                        }
                    }, new CompletableFuture<>(), (spec, samples) -> {
                        throw new AssertionError("nothing new to record");
                    }).get(10, TimeUnit.SECONDS);
            assertThat(resumed.get("errors").sampled()).isEqualTo(readings);
        }
    }

    @Test
    void shouldRecordTheReadingsOnThePointAsSampledOnes() {
        Instant at = Instant.parse("2026-12-03T10:00:00Z");
        List<Measurement> readings = List.of(Measurement.counted(at.minusSeconds(3600), 100, 10_000, ""),
                Measurement.counted(at, 460, 46_000, ""));
        String written = GuardSession.writeSamples(readings);
        var point = io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint.builder(
                io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName.of("history"), PointSource.cli("v2"))
                .attribute(GuardSession.BASELINE + "errors", "0.01").attribute(GuardSession.BASELINE_SAMPLED
                        + "errors", written).build();

        assertThat(GuardSession.baselinesOf(point).get("errors").sampled()).extracting(Measurement::trials)
                .containsExactly(10_000.0, 46_000.0);
    }
}
