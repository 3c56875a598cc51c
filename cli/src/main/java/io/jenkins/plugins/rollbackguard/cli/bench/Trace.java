package io.jenkins.plugins.rollbackguard.cli.bench;

/**
 * One simulated deploy, second by second, and what a probe sees of it at a time {@code t} (seconds from the deploy,
 * negative before it): counters as an ideal scrape reads them (to the second, no extrapolation), ratios over a window
 * as a PromQL {@code rate(a[w]) / rate(b[w])} gives them, and the latency of a probe's own request. Second {@code s}
 * of the arrays holds what happened in {@code [t, t + 1)} with {@code t = s - BASELINE_SECONDS}.
 */
public final class Trace {
    private final int startOfDay;
    private final boolean bad;
    private final long[] requests; // cumulative counters, index s = events before second s
    private final long[] errors;
    private final long[] payments;
    private final long[] paymentsOk;
    private final double[] latency;

    Trace(final int startOfDay, final boolean bad, final int length) {
        this.startOfDay = startOfDay;
        this.bad = bad;
        requests = new long[length + 1];
        errors = new long[length + 1];
        payments = new long[length + 1];
        paymentsOk = new long[length + 1];
        latency = new double[length];
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
}
