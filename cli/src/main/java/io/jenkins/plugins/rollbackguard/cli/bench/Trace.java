package io.jenkins.plugins.rollbackguard.cli.bench;

/**
 * One simulated deploy, second by second, and what a probe sees of it at a time {@code t} (seconds from the deploy,
 * negative before it): counters as an ideal scrape reads them (to the second, no extrapolation), ratios over a window
 * as a PromQL {@code rate(a[w]) / rate(b[w])} gives them, and the latency of a probe's own request. Second {@code s}
 * of the arrays holds what happened in {@code [t, t + 1)} with {@code t = s - BASELINE_SECONDS}. After the deploy the
 * counters are kept by the quarter second too ({@link #TICK_MILLIS}), for probes that read them more often than every
 * second; at whole seconds both agree.
 */
public final class Trace {
    private final int startOfDay;
    private final boolean bad;
    private final long[] requests; // cumulative counters, index s = events before second s
    private final long[] errors;
    private final long[] payments;
    private final long[] paymentsOk;
    private final double[] latency;
    /** The finest reading of the counters after the deploy, in milliseconds. */
    public static final int TICK_MILLIS = 250;
    private static final int TICKS = 1000 / TICK_MILLIS;
    private final long[][] ticks; // after the deploy: [counter][tick] = increase from the deploy to that tick

    Trace(final int startOfDay, final boolean bad, final int length) {
        this.startOfDay = startOfDay;
        this.bad = bad;
        requests = new long[length + 1];
        errors = new long[length + 1];
        payments = new long[length + 1];
        paymentsOk = new long[length + 1];
        latency = new double[length];
        ticks = new long[4][ShopTraffic.WATCH_SECONDS * TICKS + 1];
    }

    /**
     * Spreads one second after the deploy over its quarter seconds.
     *
     * @param t
     *         the second, from the deploy (at least 0)
     * @param quarters
     *         for each counter (requests, errors, payments, successful payments), its increase in each quarter
     */
    void quarters(final int t, final int[][] quarters) {
        for (int c = 0; c < ticks.length; c++) {
            for (int q = 0; q < TICKS; q++) {
                int k = t * TICKS + q;
                ticks[c][k + 1] = ticks[c][k] + quarters[c][q];
            }
        }
    }

    void second(final int s, final int requestCount, final int errorCount, final int paymentCount, final int okCount,
            final double probeLatency) {
        requests[s + 1] = requests[s] + requestCount;
        errors[s + 1] = errors[s] + errorCount;
        payments[s + 1] = payments[s] + paymentCount;
        paymentsOk[s + 1] = paymentsOk[s] + okCount;
        latency[s] = probeLatency;
    }

    /** @return the deploy's time of day in seconds */
    public int startOfDay() {
        return startOfDay;
    }

    /** @return whether the new version is bad */
    public boolean bad() {
        return bad;
    }

    /** @return the first second simulated, relative to the deploy */
    public int first() {
        return -ShopTraffic.BASELINE_SECONDS;
    }

    /** @return the second after the last one simulated, relative to the deploy */
    public int end() {
        return latency.length - ShopTraffic.BASELINE_SECONDS;
    }

    private static int index(final int t) {
        return t + ShopTraffic.BASELINE_SECONDS;
    }

    /**
     * The requests counter at a time, counted from the start of the trace.
     *
     * @param t
     *         seconds from the deploy
     * @return requests before {@code t}
     */
    public long requests(final int t) {
        return requests[index(t)];
    }

    /**
     * The errors counter at a time.
     *
     * @param t
     *         seconds from the deploy
     * @return errors before {@code t}
     */
    public long errors(final int t) {
        return errors[index(t)];
    }

    /**
     * The payments counter at a time.
     *
     * @param t
     *         seconds from the deploy
     * @return payments before {@code t}
     */
    public long payments(final int t) {
        return payments[index(t)];
    }

    /**
     * The successful payments counter at a time.
     *
     * @param t
     *         seconds from the deploy
     * @return successful payments before {@code t}
     */
    public long paymentsOk(final int t) {
        return paymentsOk[index(t)];
    }

    /**
     * The requests counter at an instant.
     *
     * @param millis
     *         milliseconds from the deploy: a whole second before it, a multiple of {@link #TICK_MILLIS} after it
     * @return requests before that instant
     */
    public long requestsAt(final long millis) {
        return at(requests, 0, millis);
    }

    /**
     * The errors counter at an instant.
     *
     * @param millis
     *         milliseconds from the deploy, as for {@link #requestsAt}
     * @return errors before that instant
     */
    public long errorsAt(final long millis) {
        return at(errors, 1, millis);
    }

    /**
     * The payments counter at an instant.
     *
     * @param millis
     *         milliseconds from the deploy, as for {@link #requestsAt}
     * @return payments before that instant
     */
    public long paymentsAt(final long millis) {
        return at(payments, 2, millis);
    }

    /**
     * The successful payments counter at an instant.
     *
     * @param millis
     *         milliseconds from the deploy, as for {@link #requestsAt}
     * @return successful payments before that instant
     */
    public long paymentsOkAt(final long millis) {
        return at(paymentsOk, 3, millis);
    }

    private long at(final long[] seconds, final int counter, final long millis) {
        if (millis % 1000 == 0 || millis < 0) {
            if (millis % 1000 != 0) {
                throw new IllegalArgumentException("before the deploy the counters are kept by the second: " + millis);
            }
            return seconds[index((int) (millis / 1000))];
        }
        if (millis % TICK_MILLIS != 0) {
            throw new IllegalArgumentException("the counters are kept by " + TICK_MILLIS + " ms: " + millis);
        }
        return seconds[index(0)] + ticks[counter][(int) (millis / TICK_MILLIS)];
    }

    /**
     * The error ratio over the window before a time, as {@code rate(errors[w]) / rate(requests[w])}.
     *
     * @param t
     *         seconds from the deploy
     * @param window
     *         the window in seconds
     * @return the ratio, NaN when no request came (Prometheus answers NaN for 0/0)
     */
    public double errorRatio(final int t, final int window) {
        return ratio(errors, requests, t, window);
    }

    /**
     * The payment success ratio over the window before a time.
     *
     * @param t
     *         seconds from the deploy
     * @param window
     *         the window in seconds
     * @return the ratio, NaN when no payment came
     */
    public double paymentSuccess(final int t, final int window) {
        return ratio(paymentsOk, payments, t, window);
    }

    private static double ratio(final long[] part, final long[] whole, final int t, final int window) {
        int to = index(t);
        int from = Math.max(0, to - window);
        long n = whole[to] - whole[from];
        return n == 0 ? Double.NaN : (double) (part[to] - part[from]) / n;
    }

    /**
     * The latency of a probe's own request sent at a time.
     *
     * @param t
     *         seconds from the deploy
     * @return milliseconds
     */
    public double latency(final int t) {
        return latency[index(t)];
    }

    /**
     * The requests served since the deploy, up to a time: the detection delay in requests.
     *
     * @param t
     *         seconds from the deploy, at least 0
     * @return requests in {@code [0, t)}
     */
    public long requestsSinceDeploy(final int t) {
        return requests(t) - requests(0);
    }

    /**
     * The requests served since the deploy, up to an instant.
     *
     * @param millis
     *         milliseconds from the deploy, at least 0, as for {@link #requestsAt}
     * @return requests before that instant
     */
    public long requestsSinceDeployAt(final long millis) {
        return requestsAt(millis) - requests(0);
    }
}
