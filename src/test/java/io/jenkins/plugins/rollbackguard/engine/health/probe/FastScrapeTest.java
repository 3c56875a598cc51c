package io.jenkins.plugins.rollbackguard.engine.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;
import io.jenkins.plugins.rollbackguard.engine.testing.PrometheusServer;
import io.jenkins.plugins.rollbackguard.engine.testing.SteadyExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rate probe read every 250 ms (the docs' seed policy) sees its counters move at nearly every reading when
 * Prometheus scrapes them every 250 ms, and mostly repeats the last scraped sample when it scrapes them every
 * second: an instant query answers with the last sample, so reading faster than the scrape gains nothing. Real
 * Prometheus, a counter rising by one every 10 ms, the probe's own sampling path with wall-clock waits between
 * readings. Fails when the binary is missing, unless {@code rollbackguard.allowMissingServers=true}.
 */
@Tag("slow")
class FastScrapeTest {
    private static final String EVENTS = "sum(app_served_total{status=\"error\"}) or vector(0)";
    private static final String TRIALS = "sum(app_served_total)";
    private static final int READINGS = 16;
    private static final int PAIRS = READINGS - 1;

    /**
     * At one scrape per reading each of the 15 pairs should move. The margin (10) is for the phase: the probe's
     * readings and Prometheus' scrapes run on the same period from unrelated starts, so when they fall within a
     * few milliseconds of each other a late scrape (a loaded 2-core machine delays it by tens of milliseconds)
     * makes one pair repeat and the next jump two samples; a third of the pairs may do so before the test fails.
     * Measured here: 15 of 15 in every run, also with the readings started 0 to 250 ms after a scrape (a steady
     * phase repeats no sample: each reading sees one scrape more than the one before).
     */
    @Test
    void shouldSeeTheCountersMoveBetweenReadingsWhenScrapedEvery250Milliseconds() throws Exception {
        int moved = moves(Duration.ofMillis(250));

        System.out.printf("scrape 250ms, readings every 250ms: the trials moved between %d of %d pairs%n",
                moved, PAIRS);
        assertThat(moved).as("pairs of readings 250 ms apart whose trials moved").isGreaterThanOrEqualTo(10);
    }

    /**
     * 15 pairs span 3.75 s, in which a 1 s scrape lands 3 or 4 times; only a pair with a scrape between its two
     * readings moves. 6 leaves room for a scrape run late and then on time (two in one second) and a reading
     * delayed past the next scrape, without letting a scrape at every reading (15) pass.
     */
    @Test
    void shouldRepeatTheLastSampleBetweenReadingsWhenScrapedEverySecond() throws Exception {
        int moved = moves(Duration.ofSeconds(1));

        System.out.printf("scrape 1s, readings every 250ms: the trials moved between %d of %d pairs%n", moved, PAIRS);
        assertThat(moved).as("pairs of readings 250 ms apart whose trials moved").isLessThanOrEqualTo(6);
    }

    /** @return between how many of the consecutive pairs of readings, at the probe's interval, the trials rose */
    private static int moves(final Duration scrape) throws Exception {
        PrometheusServer.requireInstalled(PrometheusServer.binary());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (SteadyExporter exporter = new SteadyExporter();
                PrometheusServer prometheus = PrometheusServer.start(exporter.target(), scrape);
                SystemScheduler clock = new SystemScheduler(1)) {
            ProbeFactory factory = new ProbeFactory(SecretSource.none(), new LocalCommandRunner(), executor, clock);
            PrometheusProbeSpec spec = new PrometheusProbeSpec("errors", prometheus.url(), null, null, null, "5s",
                    null, null, AnalysisSettings.builder().judge("sequential").events(EVENTS).trials(TRIALS)
                    .counters(true).interval("250ms").build());
            Probe probe = factory.create(spec);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> probe.sample().outcome() == Outcome.SUCCESS);
            List<Double> trials = readings(probe, spec.analysis().intervalDuration(), executor);
            int moved = 0;
            for (int i = 1; i < trials.size(); i++) {
                moved += trials.get(i) > trials.get(i - 1) ? 1 : 0;
            }
            System.out.printf("scrape %s: trials %s%n", scrape, trials);
            return moved;
        }
        finally {
            executor.shutdownNow();
        }
    }

    /** Reads the probe {@link #READINGS} times on a fixed schedule, so that one slow reading does not shift the rest. */
    private static List<Double> readings(final Probe probe, final Duration interval, final ExecutorService executor)
            throws Exception {
        List<Double> trials = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < READINGS; i++) {
            long wait = start + i * interval.toNanos() - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Measurement reading = probe.sampleAsync(executor).get(10, TimeUnit.SECONDS);
            assertThat(reading.outcome()).as(reading.describe()).isEqualTo(Outcome.SUCCESS);
            trials.add(reading.trials());
        }
        return trials;
    }
}
