package io.jenkins.plugins.rollbackguard.cli.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * One policy's figures at one traffic level: false trips over the healthy deploys, detections and their delays over
 * the bad ones (an undetected deploy counts as an infinite delay, so that a median or p95 above the detected share is
 * infinite).
 *
 * @param policy
 *         the policy's name
 * @param healthy
 *         the A/A deploys
 * @param bad
 *         the A/B deploys
 */
record Tally(String policy, List<Deploy> healthy, List<Deploy> bad) {
    /** Infinity, for a deploy never detected. */
    static final long NEVER = Long.MAX_VALUE;

    /**
     * One deploy's trip, if any.
     *
     * @param seconds
     *         seconds from the deploy to the first trip, {@link #NEVER} if none
     * @param requests
     *         requests served from the deploy to the first trip, {@link #NEVER} if none
     * @param probeSeconds
     *         for each probe of the policy, in its order, its own trip time ({@link #NEVER} if none)
     * @param probeRequests
     *         for each probe, requests to its trip ({@link #NEVER} if none)
     */
    record Deploy(long seconds, long requests, long[] probeSeconds, long[] probeRequests) {
        static Deploy of(final Policy.Outcome outcome, final Trace trace) {
            int n = outcome.runs().size();
            long[] seconds = new long[n];
            long[] requests = new long[n];
            for (int i = 0; i < n; i++) {
                ReplayedProbe.Run run = outcome.runs().get(i);
                long millis = Math.max(0, run.at());
                seconds[i] = run.tripped() ? (millis + 999) / 1000 : NEVER; // a reading within a second counts as one
                requests[i] = run.tripped() ? trace.requestsSinceDeployAt(millis) : NEVER;
            }
            return new Deploy(Arrays.stream(seconds).min().orElse(NEVER), Arrays.stream(requests).min().orElse(NEVER),
                    seconds, requests);
        }

        boolean tripped() {
            return seconds != NEVER;
        }

        /** Builds a deploy from the probes of several, each probe from its own. */
        static Deploy combine(final List<Deploy> sources) {
            int n = sources.size();
            long[] seconds = new long[n];
            long[] requests = new long[n];
            for (int i = 0; i < n; i++) {
                seconds[i] = sources.get(i).probeSeconds()[i];
                requests[i] = sources.get(i).probeRequests()[i];
            }
            return new Deploy(Arrays.stream(seconds).min().orElse(NEVER), Arrays.stream(requests).min().orElse(NEVER),
                    seconds, requests);
        }
    }

    /**
     * Combines the probes of several tallies of the same deploys: probe {@code i} as replayed in {@code choice[i]}.
     *
     * @param name
     *         the combination's name
     * @param choice
     *         for each probe, the tally to take it from
     * @return the tally of the combination
     */
    static Tally combine(final String name, final List<Tally> choice) {
        return new Tally(name, combine(choice, true), combine(choice, false));
    }

    private static List<Deploy> combine(final List<Tally> choice, final boolean healthy) {
        int deploys = (healthy ? choice.get(0).healthy() : choice.get(0).bad()).size();
        return IntStream.range(0, deploys).mapToObj(d -> Deploy.combine(choice.stream()
                .map(t -> (healthy ? t.healthy() : t.bad()).get(d)).toList())).toList();
    }

    /** @return the share of healthy deploys that tripped */
    double falseTrips() {
        return healthy.stream().filter(Deploy::tripped).count() / (double) healthy.size();
    }

    /**
     * The share of healthy deploys one probe tripped.
     *
     * @param probe
     *         the probe's place in the policy
     * @return the share
     */
    double falseTrips(final int probe) {
        return healthy.stream().filter(d -> d.probeSeconds()[probe] != NEVER).count() / (double) healthy.size();
    }

    /** @return the share of bad deploys detected within the watch */
    double detection() {
        return bad.stream().filter(Deploy::tripped).count() / (double) bad.size();
    }

    /**
     * A percentile of the delay over all bad deploys.
     *
     * @param p
     *         0 to 100
     * @param requests
     *         in requests, else in seconds
     * @return the delay, {@link #NEVER} when infinite
     */
    long delay(final double p, final boolean requests) {
        return percentile(bad.stream().mapToLong(d -> requests ? d.requests() : d.seconds()).toArray(), p);
    }

    /**
     * A percentile of one probe's own delay over all bad deploys.
     *
     * @param probe
     *         the probe's place in the policy
     * @param p
     *         0 to 100
     * @return the delay in requests, {@link #NEVER} when infinite
     */
    long probeDelay(final int probe, final double p) {
        return percentile(bad.stream().mapToLong(d -> d.probeRequests()[probe]).toArray(), p);
    }

    /**
     * A percentile of one probe's own delay in seconds over all bad deploys.
     *
     * @param probe
     *         the probe's place in the policy
     * @param p
     *         0 to 100
     * @return the delay in seconds, {@link #NEVER} when infinite
     */
    long probeSeconds(final int probe, final double p) {
        return percentile(bad.stream().mapToLong(d -> d.probeSeconds()[probe]).toArray(), p);
    }

    /**
     * The share of bad deploys one probe detected.
     *
     * @param probe
     *         the probe's place in the policy
     * @return the share
     */
    double detection(final int probe) {
        return bad.stream().filter(d -> d.probeSeconds()[probe] != NEVER).count() / (double) bad.size();
    }

    static long percentile(final long[] values, final double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String percent(final double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    static String count(final long value) {
        return value == NEVER ? "inf" : String.format(Locale.ROOT, "%,d", value);
    }
}
