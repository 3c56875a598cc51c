package io.jenkins.plugins.rollbackguard.cli.bench;

import java.util.Arrays;

/** Percentiles of a sample of durations in nanoseconds. */
public final class Stats {
    private final long[] sorted;

    /**
     * Creates the statistics.
     *
     * @param nanos
     *         the samples
     */
    public Stats(final long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    /**
     * Returns a percentile.
     *
     * @param p
     *         0 to 100
     * @return the value in nanoseconds
     */
    public long percentile(final double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** @return the median in nanoseconds */
    public long median() {
        return percentile(50);
    }

    /**
     * Formats nanoseconds in microseconds.
     *
     * @param nanos
     *         the value
     * @return e.g. "12.3 us"
     */
    public static String micros(final long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f us", nanos / 1000.0);
    }
}
