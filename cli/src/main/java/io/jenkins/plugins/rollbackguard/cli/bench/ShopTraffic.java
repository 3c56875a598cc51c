package io.jenkins.plugins.rollbackguard.cli.bench;

import java.util.SplittableRandom;

/**
 * A seeded model of a small shop's traffic around one deploy, second by second (virtual time, no clock).
 *
 * <p>Requests arrive as a Poisson process whose rate swings by {@value #DAILY_SWING} (+/-30%) on a 24 h sine
 * peaking at 14:00; the healthy error rate (1%), the healthy payment failure rate (3%) and the healthy latency median
 * (120 ms) swing with it, in the same phase (busy hours are slower and fail more), so that their means over a day are
 * the stated values. Each request is an error with the error rate; {@value #PAYMENT_SHARE} of requests are payments,
 * each successful with the payment success rate (independently of the request's own status). A request's latency is
 * log-normal around the median with sigma {@value #LATENCY_SIGMA}. A bad version, from the deploy on (t = 0), has 5%
 * errors, a payment success of 0.77 and a median latency 1.5 times the healthy one.
 *
 * <p>A trace covers {@value #BASELINE_SECONDS} s before the deploy (the baseline window) and {@value #WATCH_SECONDS}
 * s after it. The same seed gives the same trace.
 */
public final class ShopTraffic {
    /** The healthy error rate (mean over a day). */
    public static final double HEALTHY_ERRORS = 0.01;
    /** The bad version's error rate. */
    public static final double BAD_ERRORS = 0.05;
    /** The healthy payment success rate (mean over a day). */
    public static final double HEALTHY_PAYMENT_SUCCESS = 0.97;
    /** The bad version's payment success rate. */
    public static final double BAD_PAYMENT_SUCCESS = 0.77;
    /** The share of requests that are payments. */
    public static final double PAYMENT_SHARE = 0.10;
    /** The healthy median latency in milliseconds (mean over a day). */
    public static final double LATENCY_MEDIAN_MS = 120;
    /** The sigma of the log-normal latency. */
    public static final double LATENCY_SIGMA = 0.5;
    /** How much slower the bad version's median is. */
    public static final double BAD_LATENCY_FACTOR = 1.5;
    /** The relative swing of the healthy rates over a day. */
    public static final double DAILY_SWING = 0.30;
    /** Seconds simulated before the deploy. */
    public static final int BASELINE_SECONDS = 3600;
    /** Seconds simulated after the deploy. */
    public static final int WATCH_SECONDS = 600;
    private static final int DAY = 86_400;
    private static final int PEAK = 14 * 3600;

    private final double rate;

    /**
     * Creates the model of one traffic level.
     *
     * @param rate
     *         requests per second, mean over a day
     */
    public ShopTraffic(final double rate) {
        this.rate = rate;
    }

    /** @return requests per second, mean over a day */
    public double rate() {
        return rate;
    }

    /**
     * The healthy swing at a time of day: 1.3 at 14:00, 1.0 at 08:00 and 20:00, 0.7 at 02:00.
     *
     * @param secondOfDay
     *         the time of day in seconds
     * @return the factor
     */
    public static double daily(final double secondOfDay) {
        return 1 + DAILY_SWING * Math.sin(2 * Math.PI * (secondOfDay - PEAK + DAY / 4.0) / DAY);
    }

    /**
     * Simulates one deploy: its start is a uniformly random time of day.
     *
     * @param seed
     *         the deploy's seed
     * @param bad
     *         whether the new version is bad (A/B) or the same as the old one (A/A)
     * @return the trace
     */
    public Trace deploy(final long seed, final boolean bad) {
        SplittableRandom random = new SplittableRandom(seed);
        return deploy(random, random.nextInt(DAY), bad);
    }

    /**
     * Simulates one deploy at a given time of day.
     *
     * @param random
     *         the source of randomness
     * @param start
     *         the deploy's time of day in seconds
     * @param bad
     *         whether the new version is bad
     * @return the trace
     */
    Trace deploy(final SplittableRandom random, final int start, final boolean bad) {
        int length = BASELINE_SECONDS + WATCH_SECONDS;
        Trace trace = new Trace(start, bad, length);
        int[][] watched = new int[WATCH_SECONDS][]; // each second's requests, errors, payments, successes after the deploy
        for (int s = 0; s < length; s++) {
            int t = s - BASELINE_SECONDS;
            boolean broken = bad && t >= 0;
            double swing = daily(start + t + 0.5);
            double errors = broken ? BAD_ERRORS : HEALTHY_ERRORS * swing;
            double success = broken ? BAD_PAYMENT_SUCCESS : 1 - (1 - HEALTHY_PAYMENT_SUCCESS) * swing;
            int requests = poisson(random, rate * swing);
            int payments = binomial(random, requests, PAYMENT_SHARE);
            int errorCount = binomial(random, requests, errors);
            int ok = payments - binomial(random, payments, 1 - success);
            trace.second(s, requests, errorCount, payments, ok,
                    medianLatency(swing, broken) * Math.exp(LATENCY_SIGMA * random.nextGaussian()));
            if (t >= 0) {
                watched[t] = new int[] {requests, errorCount, payments, ok};
            }
        }
        // drawn after the seconds, from a stream of its own, so that the seconds are those of a run without quarters
        SplittableRandom within = new SplittableRandom(random.nextLong());
        for (int t = 0; t < WATCH_SECONDS; t++) {
            trace.quarters(t, quarters(within, watched[t]));
        }
        return trace;
    }

    /**
     * Spreads one second's events over its quarters: each event arrives at a uniformly random instant of the second
     * (a Poisson process given its count), errors among the requests and failures among the payments alike.
     *
     * @param random
     *         the source
     * @param second
     *         the second's requests, errors, payments and successful payments
     * @return for each counter, its increase in each quarter
     */
    static int[][] quarters(final SplittableRandom random, final int[] second) {
        int ticks = 1000 / Trace.TICK_MILLIS;
        int[][] out = new int[4][ticks];
        int[] order = {1, 0, 3, 2}; // errors, then the other requests; successes, then the failed payments
        int[] kinds = {second[1], second[0] - second[1], second[3], second[2] - second[3]};
        for (int kind = 0; kind < kinds.length; kind++) {
            for (int i = 0; i < kinds[kind]; i++) {
                int q = random.nextInt(ticks);
                out[order[kind]][q]++;
                if (kind == 0) {
                    out[0][q]++; // an error is a request
                }
                else if (kind == 2) {
                    out[2][q]++; // a success is a payment
                }
            }
        }
        return out;
    }

    /**
     * The median latency at a time.
     *
     * @param swing
     *         the daily factor
     * @param broken
     *         whether the bad version serves
     * @return milliseconds
     */
    static double medianLatency(final double swing, final boolean broken) {
        return LATENCY_MEDIAN_MS * swing * (broken ? BAD_LATENCY_FACTOR : 1);
    }

    /**
     * Draws a Poisson count, exactly (by Knuth's product of uniforms, in chunks of a mean of at most 30).
     *
     * @param random
     *         the source
     * @param mean
     *         the mean
     * @return the count
     */
    static int poisson(final SplittableRandom random, final double mean) {
        int count = 0;
        double left = mean;
        while (left > 0) {
            double chunk = Math.min(left, 30);
            left -= chunk;
            double limit = Math.exp(-chunk);
            double product = random.nextDouble();
            while (product > limit) {
                count++;
                product *= random.nextDouble();
            }
        }
        return count;
    }

    /**
     * Draws a binomial count, exactly, by geometric jumps between successes (cost: the number of successes).
     *
     * @param random
     *         the source
     * @param trials
     *         the number of trials
     * @param p
     *         the success probability
     * @return the count
     */
    static int binomial(final SplittableRandom random, final int trials, final double p) {
        if (p > 0.5) {
            return trials - binomial(random, trials, 1 - p);
        }
        if (p <= 0 || trials == 0) {
            return 0;
        }
        double log = Math.log1p(-p);
        int count = 0;
        double position = Math.floor(Math.log(1 - random.nextDouble()) / log);
        while (position < trials) {
            count++;
            position += 1 + Math.floor(Math.log(1 - random.nextDouble()) / log);
        }
        return count;
    }
}
