package io.jenkins.plugins.rollbackguard.engine.health.judge;

import java.io.Serial;
import java.io.Serializable;

/**
 * Counted events out of trials in one probe sample, e.g. 3 failed requests out of 412, or 29 successful payments
 * out of 30.
 *
 * @param events
 *         the events counted ({@code analysis.events}), 0 or more
 * @param trials
 *         the trials they are out of ({@code analysis.trials}), at least {@code events}
 */
public record RateCounts(long events, long trials) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** No trials. */
    public static final RateCounts NONE = new RateCounts(0, 0);

    /** Validates. */
    public RateCounts {
        if (events < 0 || trials < events) {
            throw new IllegalArgumentException(("counts: need 0 <= events <= trials, got %d events out of %d trials; "
                    + "check that analysis.events counts a part of what analysis.trials counts").formatted(events,
                    trials));
        }
    }

    /**
     * Adds two counts.
     *
     * @param other
     *         the other counts
     * @return the sum
     */
    public RateCounts plus(final RateCounts other) {
        return new RateCounts(events + other.events, trials + other.trials);
    }

    /** @return the events that are not counted: {@code trials - events} */
    public long complement() {
        return trials - events;
    }

    /** @return {@code events / trials}, NaN without trials */
    public double rate() {
        return trials == 0 ? Double.NaN : (double) events / trials;
    }
}
