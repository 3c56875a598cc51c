package io.jenkins.plugins.rollbackguard.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;

/** Prints the simulator's model and what the probes read of it, so that a run's output states its assumptions. */
final class Model {
    private Model() {
        // printing only
    }

    static void describe(final PrintWriter out, final int deploys, final long seed) {
        out.printf(Locale.ROOT, "Replay benchmark: %,d healthy (A/A) and %,d bad (A/B) deploys per traffic level, seed %d%n",
                deploys, deploys, seed);
        out.printf(Locale.ROOT, "model: Poisson requests; healthy errors %.0f%%, payment success %.2f, latency log-normal "
                        + "median %.0f ms sigma %.1f; request rate and healthy rates +/-%.0f%% on a 24 h sine (peak 14:00); "
                        + "payments %.0f%% of requests%n", 100 * ShopTraffic.HEALTHY_ERRORS,
                ShopTraffic.HEALTHY_PAYMENT_SUCCESS, ShopTraffic.LATENCY_MEDIAN_MS, ShopTraffic.LATENCY_SIGMA,
                100 * ShopTraffic.DAILY_SWING, 100 * ShopTraffic.PAYMENT_SHARE);
        out.printf(Locale.ROOT, "bad version from the deploy on: errors %.0f%%, payment success %.2f, median latency x%.1f; "
                        + "deploy at a uniformly random time of day; %d s simulated before it (baseline window), %d s after%n",
                100 * ShopTraffic.BAD_ERRORS, ShopTraffic.BAD_PAYMENT_SUCCESS, ShopTraffic.BAD_LATENCY_FACTOR,
                ShopTraffic.BASELINE_SECONDS, ShopTraffic.WATCH_SECONDS);
        out.printf("probes as a scrape sees them (counters to the second, and to the quarter second after the deploy, no "
                + "extrapolation): payment-success = rate(ok[2m]) / rate(payments[2m]), error-rate = rate(errors[1m]) / "
                + "rate(requests[1m]) (0/0 is no data), page-load = the latency of the probe's own request%n");
        out.println("judges: (a) the seed's probes and thresholds with one interval and failureLimit (swept, best per "
                + "probe); (b) the seed policy of docs/health.md; (c) its example 'the seed policy with judges': judge: "
                + "sequential (counters: true, read every " + every(Judges.RATE_INTERVAL) + ", baseline the last hour "
                + "of history: baselineWindow: 1h) for errors (effect " + Judges.ERRORS_EFFECT + ") and payments (drop > "
                + "20%), judge: mann-whitney for page-load (rise > 25%, every 10 s, 30 baseline samples), 10 min, alpha "
                + "0.002 / 0.007 / 0.001 for payments / errors / page-load (a deploy's 1% by the union bound), beta 0.1; "
                + "(c5), (c1), (c15) the same with the counters read every 5 s, 1 s, 15 s; (c200) errors rise > 200%; "
                + "(c.01) alpha 0.01 for each probe (the default); (c/3) 0.0033 for each; (c0) the counters "
                + "every 10 s with 30 baseline samples (5 minutes) instead of the history");
    }

    private static String every(final long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
