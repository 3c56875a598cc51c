package io.jenkins.plugins.rollbackguard.engine.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.rollbackguard.engine.health.Analysis;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;
import io.jenkins.plugins.rollbackguard.engine.health.Watch;
import io.jenkins.plugins.rollbackguard.engine.health.WatchResult;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;
import io.jenkins.plugins.rollbackguard.engine.testing.MetricsExporter;
import io.jenkins.plugins.rollbackguard.engine.testing.PrometheusServer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Tests the Prometheus probe, the analysis and the watch in real time against a real Prometheus that
 * scrapes a local exporter every second. Fails when the binary is missing, unless the system property
 * {@code rollbackguard.allowMissingServers=true} is set.
 */
@Tag("slow")
class PrometheusProbeTest {
    private static final String ERROR_RATE = "sum(rate(app_requests_total{status=\"error\"}[5s]))"
            + " / sum(rate(app_requests_total[5s]))";
    private static final String SUCCESS = "app_success_ratio";

    @Test
    void shouldPassWhenHealthyAndTripOnErrorBurstAndSuccessDrop() throws Exception {
        requirePrometheus();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (MetricsExporter exporter = new MetricsExporter();
                PrometheusServer prometheus = PrometheusServer.start(exporter.target());
                SystemScheduler clock = new SystemScheduler(1)) {
            ProbeFactory factory = new ProbeFactory(SecretSource.none(), new LocalCommandRunner(), executor, clock);
            awaitRate(prometheus);
            PrometheusProbeSpec errorRate = PrometheusProbeSpec.of("errors", prometheus.url(), ERROR_RATE, "> 5%",
                    AnalysisSettings.builder().interval("1s").count(3).build());
            PrometheusProbeSpec success = PrometheusProbeSpec.of("success", prometheus.url(), SUCCESS, "drop > 20%",
                    AnalysisSettings.builder().interval("1s").count(30).baselineSamples(3).build());
            Probe successProbe = factory.create(success);
            Baseline baseline = Baseline.sample(successProbe, 3, Duration.ofMillis(200), clock, executor)
                    .get(10, TimeUnit.SECONDS);
            assertThat(baseline.value()).hasValue(0.97);

            assertThat(watch(clock, executor, factory.create(errorRate), Analysis.of(errorRate, Baseline.none("-")))
                    .status()).isEqualTo(VerdictStatus.PASSED);

            exporter.setErrorsPerScrape(30);
            PrometheusProbeSpec burst = PrometheusProbeSpec.of("errors", prometheus.url(), ERROR_RATE, "> 5%",
                    AnalysisSettings.builder().interval("1s").count(30).build());
            WatchResult tripped = watch(clock, executor, factory.create(burst), Analysis.of(burst, Baseline.none("-")));
            assertThat(tripped.status()).isEqualTo(VerdictStatus.FAILED);
            assertThat(tripped.verdicts().get(0).measurements().size()).as("an early trip").isLessThan(15);
            assertThat(tripped.explanation()).contains("1 failure exceeds failureLimit 0");

            exporter.setErrorsPerScrape(0);
            exporter.setSuccessRatio(0.70);
            WatchResult dropped = watch(clock, executor, successProbe, Analysis.of(success, baseline));
            assertThat(dropped.status()).isEqualTo(VerdictStatus.FAILED);
            assertThat(dropped.verdicts().get(0).measurements()).last().extracting(Measurement::value).isEqualTo(0.7);
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldTurnQueryShapesIntoValuesNoDataOrErrors() throws Exception {
        requirePrometheus();
        try (MetricsExporter exporter = new MetricsExporter();
                PrometheusServer prometheus = PrometheusServer.start(exporter.target());
                SystemScheduler clock = new SystemScheduler(1)) {
            ProbeFactory factory = new ProbeFactory(SecretSource.none(), new LocalCommandRunner(), Runnable::run, clock);
            awaitRate(prometheus);
            String url = prometheus.url();

            assertThat(sample(factory, url, "42", null).value()).isEqualTo(42);
            assertThat(sample(factory, url, "vector(7)", null).value()).isEqualTo(7);
            assertThat(sample(factory, url, "app_requests_total", null)).satisfies(m -> {
                assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
                assertThat(m.detail()).isEqualTo("2 series, expected one; set an aggregation");
            });
            assertThat(sample(factory, url, "app_requests_total", "count").value()).isEqualTo(2);
            assertThat(sample(factory, url, "app_missing_metric", null).outcome()).isEqualTo(Outcome.NO_DATA);
            assertThat(sample(factory, url, "rate(", null).outcome()).isEqualTo(Outcome.ERROR);
            assertThat(sample(factory, "http://127.0.0.1:1", "up", null).outcome()).isEqualTo(Outcome.ERROR);
        }
    }

    @Test
    void shouldCountARateWithTwoQueriesAndTakeAnInfinityForNoData() throws Exception {
        requirePrometheus();
        try (MetricsExporter exporter = new MetricsExporter();
                PrometheusServer prometheus = PrometheusServer.start(exporter.target());
                SystemScheduler clock = new SystemScheduler(1)) {
            ProbeFactory factory = new ProbeFactory(SecretSource.none(), new LocalCommandRunner(), Runnable::run, clock);
            awaitRate(prometheus);
            String url = prometheus.url();
            Measurement counted = factory.create(rate(url, "sum(app_requests_total{status=\"error\"}) or vector(0)",
                    "sum(app_requests_total)")).sample();
            assertThat(counted.outcome()).as(counted.describe()).isEqualTo(Outcome.SUCCESS);
            assertThat(counted.hasCounts()).isTrue();
            assertThat(counted.trials()).isPositive();
            assertThat(counted.events()).isBetween(0.0, counted.trials());
            Measurement refused = factory.create(rate(url, "rate(", "sum(app_requests_total)")).sample();
            assertThat(refused.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(refused.detail()).startsWith("analysis.events: ");
            Measurement empty = factory.create(rate(url, "sum(app_missing_metric)", "sum(app_requests_total)"))
                    .sample();
            assertThat(empty.outcome()).isEqualTo(Outcome.NO_DATA);
            Measurement infinite = sample(factory, url, "1/0", null);
            assertThat(infinite.outcome()).isEqualTo(Outcome.NO_DATA);
            assertThat(infinite.detail()).isEqualTo("result is +Inf");
        }
    }

    /** The history baseline's readings are instant queries at a past time: before Prometheus started there is none. */
    @Test
    void shouldReadTheCountersAtAPastInstantFromHistory() throws Exception {
        requirePrometheus();
        try (MetricsExporter exporter = new MetricsExporter();
                PrometheusServer prometheus = PrometheusServer.start(exporter.target());
                SystemScheduler clock = new SystemScheduler(1)) {
            ProbeFactory factory = new ProbeFactory(SecretSource.none(), new LocalCommandRunner(), Runnable::run, clock);
            awaitRate(prometheus);
            Thread.sleep(3_000); // a few scrapes, so that the counters differ between two instants
            Probe probe = factory.create(rate(prometheus.url(), "sum(app_requests_total{status=\"error\"}) or vector(0)",
                    "sum(app_requests_total)"));
            java.time.Instant now = clock.now();

            Measurement past = probe.sampleAt(now.minusSeconds(3)).orElseThrow().get(10, TimeUnit.SECONDS);
            Measurement current = probe.sampleAt(now).orElseThrow().get(10, TimeUnit.SECONDS);
            Measurement beforeStart = probe.sampleAt(now.minus(Duration.ofHours(1))).orElseThrow()
                    .get(10, TimeUnit.SECONDS);

            assertThat(past.outcome()).as(past.describe()).isEqualTo(Outcome.SUCCESS);
            assertThat(current.outcome()).as(current.describe()).isEqualTo(Outcome.SUCCESS);
            assertThat(current.trials()).as("the counters grew in 3 s").isGreaterThan(past.trials());
            assertThat(beforeStart.outcome()).as("an hour ago, before Prometheus ran: " + beforeStart.describe())
                    .isEqualTo(Outcome.NO_DATA);
            assertThat(probe.lastResponse()).hasValueSatisfying(text -> assertThat(text)
                    .contains(now.minus(Duration.ofHours(1)).toString()));
        }
    }

    @Test
    void shouldBuildAnInstantQueryAtAPastTimeOnlyForHistory() {
        java.time.Instant at = java.time.Instant.parse("2026-12-03T09:00:00.250Z");
        assertThat(PrometheusProbe.queryPath("sum(x)", at, true)).isEqualTo("api/v1/query?query=sum%28x%29&time="
                + at.getEpochSecond() + ".250");
        assertThat(PrometheusProbe.queryPath("sum(x)", at, false)).isEqualTo("api/v1/query?query=sum%28x%29");
    }

    private static PrometheusProbeSpec rate(final String url, final String events, final String trials) {
        return new PrometheusProbeSpec("rate", url, null, null, null, "5s", null, null, AnalysisSettings.builder()
                .judge("sequential").events(events).trials(trials).counters(true).build());
    }

    private static Measurement sample(final ProbeFactory factory, final String url, final String query,
            final String aggregation) {
        return factory.create(new PrometheusProbeSpec("q", url, query, aggregation, null, "5s", null, null, null))
                .sample();
    }

    private static WatchResult watch(final SystemScheduler clock, final ExecutorService executor, final Probe probe,
            final Analysis analysis) throws Exception {
        return new Watch(clock, executor, GuardListener.silent()).add(probe, analysis).start().get(60, TimeUnit.SECONDS);
    }

    private static void awaitRate(final PrometheusServer prometheus) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> prometheus.query(ERROR_RATE).contains("\"value\""));
    }

    private static void requirePrometheus() {
        if (PrometheusServer.isInstalled()) {
            return;
        }
        boolean allowed = Boolean.getBoolean(PrometheusServer.ALLOW_MISSING);
        Assumptions.assumeThat(allowed).as("prometheus binary '%s' missing; skipped because %s=true",
                PrometheusServer.binary(), PrometheusServer.ALLOW_MISSING).isFalse();
        throw new AssertionError("prometheus binary '" + PrometheusServer.binary() + "' missing: install the Debian"
                + " package prometheus, or set -D" + PrometheusServer.ALLOW_MISSING + "=true to skip");
    }
}
