package io.jenkins.plugins.rollbackguard.engine.health.judge;

import java.util.Optional;

/**
 * Turns readings of two cumulative counters (e.g. {@code http_requests_total} with and without
 * {@code code=~"5.."}) into the counts of each interval: the difference with the previous reading. The first
 * reading only starts the count. A counter that decreases was reset (the deploy restarted the process): the count
 * restarts from the new value, as Prometheus' {@code increase()} does, and the delta is noted as a reset; it is
 * never judged negative nor as a jump. Not thread-safe: one per probe, fed in order.
 */
public final class CounterDeltas {
    private double lastEvents = Double.NaN;
    private double lastTrials = Double.NaN;

    /**
     * One interval's counts.
     *
     * @param counts
     *         the events and trials of the interval
     * @param reset
     *         whether a counter decreased, so that the counts are the new values since the restart
     * @param note
     *         what happened, for the sample's detail, or empty
     */
    public record Delta(RateCounts counts, boolean reset, String note) {
    }

    /**
     * Tells whether a reading would be a reset, without taking it.
     *
     * @param events
     *         the events counter's value
     * @param trials
     *         the trials counter's value
     * @return whether a counter went down since the last reading
     */
    public boolean isReset(final double events, final double trials) {
        return !Double.isNaN(lastTrials) && (events < lastEvents || trials < lastTrials);
    }

    /**
     * Tells whether a reading's events rose more than its trials since the last reading, without taking it: the
     * interval is then counted with as many trials as events ({@link #next}), which a later reading's difference
     * would not repeat, so that such a reading must be kept as it came rather than folded with others.
     *
     * @param events
     *         the events counter's value
     * @param trials
     *         the trials counter's value
     * @return whether the interval's events would exceed its trials
     */
    public boolean isAhead(final double events, final double trials) {
        return !Double.isNaN(lastTrials) && !isReset(events, trials)
                && Math.round(events - lastEvents) > Math.round(trials - lastTrials);
    }

    /**
     * Takes the next reading.
     *
     * @param events
     *         the events counter's value
     * @param trials
     *         the trials counter's value
     * @return the interval's counts; empty for the first reading, which only starts the count
     * @throws IllegalArgumentException
     *         when a reading is negative, not finite, or the events exceed the trials
     */
    public Optional<Delta> next(final double events, final double trials) {
        if (!Double.isFinite(events) || !Double.isFinite(trials) || events < 0 || trials < 0) {
            throw new IllegalArgumentException("counters: expected two finite counters of 0 or more, got events "
                    + events + " and trials " + trials);
        }
        boolean first = Double.isNaN(lastTrials);
        boolean reset = !first && (events < lastEvents || trials < lastTrials);
        double deltaEvents = first ? 0 : reset ? events : events - lastEvents;
        double deltaTrials = first ? 0 : reset ? trials : trials - lastTrials;
        lastEvents = events;
        lastTrials = trials;
        if (first) {
            return Optional.empty();
        }
        long e = Math.round(deltaEvents);
        long t = Math.max(e, Math.round(deltaTrials)); // two scrapes are not atomic: never fewer trials than events
        String note = reset ? "counter reset (a counter went down): counting from its new value" : "";
        return Optional.of(new Delta(new RateCounts(e, t), reset, note));
    }
}
