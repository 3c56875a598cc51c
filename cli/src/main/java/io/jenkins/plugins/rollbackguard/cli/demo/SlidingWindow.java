package io.jenkins.plugins.rollbackguard.cli.demo;

import java.util.Arrays;

/** Per-second buckets of the shop's last N seconds of checkouts. */
final class SlidingWindow {
    private final int seconds;
    private final long[] bucketSecond;
    private final int[] requests;
    private final int[] errors;
    private final int[] payments;
    private final int[] paid;
    private final long[][] latencies;
    private final int[] latencyCount;

    SlidingWindow(final int seconds) {
        this.seconds = seconds;
        bucketSecond = new long[seconds];
        requests = new int[seconds];
        errors = new int[seconds];
        payments = new int[seconds];
        paid = new int[seconds];
        latencies = new long[seconds][200];
        latencyCount = new int[seconds];
    }

    void record(final boolean error, final boolean payment, final boolean paidOk, final long latency) {
        long now = System.currentTimeMillis() / 1000;
        int i = (int) (now % seconds);
        if (bucketSecond[i] != now) {
            bucketSecond[i] = now;
            requests[i] = 0;
            errors[i] = 0;
            payments[i] = 0;
            paid[i] = 0;
            latencyCount[i] = 0;
        }
        requests[i]++;
        errors[i] += error ? 1 : 0;
        payments[i] += payment ? 1 : 0;
        paid[i] += paidOk ? 1 : 0;
        if (latencyCount[i] < latencies[i].length) {
            latencies[i][latencyCount[i]++] = latency;
        }
    }

    Totals totals() {
        long now = System.currentTimeMillis() / 1000;
        long r = 0;
        long e = 0;
        long p = 0;
        long ok = 0;
        long[] all = new long[seconds * 200];
        int n = 0;
        for (int i = 0; i < seconds; i++) {
            if (now - bucketSecond[i] < seconds) {
                r += requests[i];
                e += errors[i];
                p += payments[i];
                ok += paid[i];
                System.arraycopy(latencies[i], 0, all, n, latencyCount[i]);
                n += latencyCount[i];
            }
        }
        long[] sorted = Arrays.copyOf(all, n);
        Arrays.sort(sorted);
        long p95 = n == 0 ? 0 : sorted[Math.min(n - 1, (int) Math.ceil(0.95 * n) - 1)];
        return new Totals(r, r == 0 ? 0 : (double) e / r, p == 0 ? 1 : (double) ok / p, p95);
    }

    record Totals(long requests, double errorRate, double paymentSuccess, long latencyP95) {
    }
}
