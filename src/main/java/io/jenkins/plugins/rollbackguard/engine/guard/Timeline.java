package io.jenkins.plugins.rollbackguard.engine.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Masker;

/**
 * What happened during a guarded deploy, in order, with times: printed live through the listener and
 * kept for the summary.
 *
 * <p>One clock for both: once the deploy has started ({@link #anchor}, with the instant the ledger keeps as the
 * point's deploy start) every line gives its time as an offset from it ({@code [+10.6s]}); a line before gives its
 * time of day in UTC ({@code [16:42:20.3Z]}), since the instant it would count from is not known yet. An entry keeps
 * the stamp it was printed with, so the timeline shown afterwards ({@link Entry#line()}) is the live log's line for
 * line, and a resumed run, anchored at the same recorded instant, goes on with the same figures.</p>
 */
public final class Timeline {
    private static final java.time.format.DateTimeFormatter TIME_OF_DAY = java.time.format.DateTimeFormatter
            .ofPattern("HH:mm:ss.S'Z'").withZone(java.time.ZoneOffset.UTC);
    private final Supplier<Instant> clock;
    private final GuardListener listener;
    private final Instant start;
    private final List<Entry> entries = new ArrayList<>();
    private volatile Instant origin; // the point's deploy start, from the ledger; null until it started
    private volatile Supplier<Masker> masker = Masker::none;

    /**
     * Starts a timeline.
     *
     * @param clock
     *         the time source
     * @param listener
     *         receives each line as it happens
     */
    public Timeline(final Supplier<Instant> clock, final GuardListener listener) {
        this.clock = clock;
        this.listener = listener;
        this.start = clock.get();
    }

    /**
     * Masks every later entry with the given secrets (a session passes those its run resolved), whatever the
     * listener does.
     *
     * @param secrets
     *         gives the current masker
     */
    public void maskWith(final Supplier<Masker> secrets) {
        this.masker = secrets;
    }

    /**
     * Adds an entry and prints it.
     *
     * @param phase
     *         the phase (preflight, backup, deploy, watch, verdict, revert, hook, notify)
     * @param message
     *         one line; masked again with the run's secrets
     * @return the entry
     */
    public synchronized Entry add(final String phase, final String message) {
        Instant at = clock.get();
        Entry entry = new Entry(at, phase, masker.get().mask(message), stamp(at));
        entries.add(entry);
        listener.info(entry.line());
        return entry;
    }

    /**
     * Sets the instant every later line counts from: the point's deploy start, as the ledger keeps it. Only the first
     * call counts: a revert run on the same timeline goes on with the clock of the deploy it reverts.
     *
     * @param deployStart
     *         the instant
     */
    public synchronized void anchor(final Instant deployStart) {
        if (origin == null && deployStart != null) {
            origin = deployStart;
        }
    }

    /** @return the instant lines count from, once the deploy has started */
    public java.util.Optional<Instant> origin() {
        return java.util.Optional.ofNullable(origin);
    }

    /**
     * Returns the stamp a line at an instant gets: its offset from the deploy start, or its time of day before.
     *
     * @param at
     *         the instant
     * @return e.g. {@code [   +10.6s]} or {@code [16:42:20.3Z]}
     */
    public String stamp(final Instant at) {
        Instant from = origin;
        if (from == null || at.isBefore(from)) {
            return "[" + TIME_OF_DAY.format(at) + "]";
        }
        return String.format(java.util.Locale.ROOT, "[%+10.1fs]", Duration.between(from, at).toMillis() / 1000.0);
    }

    /**
     * Prints a line of a command's output as it comes, masked and timed like an entry, without keeping it: a deploy
     * may print without end, and its tail is kept apart ({@code OutputTail}).
     *
     * @param phase
     *         the phase (deploy)
     * @param line
     *         the line, with its prefix
     */
    public void stream(final String phase, final String line) {
        String masked = masker.get().mask(line);
        listener.info("%s %-9s %s".formatted(stamp(clock.get()), phase, masked));
    }

    /**
     * Returns a listener that stamps each line it passes on with this timeline's clock, without keeping it (a
     * watch's sample lines): every line of the live log is on one clock.
     *
     * @param phase
     *         the phase the lines belong to
     * @return the listener
     */
    public GuardListener stamping(final String phase) {
        return new GuardListener() {
            @Override
            public void info(final String line) {
                stream(phase, line);
            }

            @Override
            public void error(final String line) {
                listener.error("%s %-9s %s".formatted(stamp(clock.get()), phase, masker.get().mask(line)));
            }
        };
    }

    /** @return the entries so far */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** @return when the timeline was created (not the deploy's start: see {@link #origin()}) */
    public Instant start() {
        return start;
    }

    /**
     * One entry.
     *
     * @param at
     *         when
     * @param phase
     *         the phase
     * @param message
     *         what happened
     * @param stamp
     *         its time as the live log printed it: an offset from the deploy start, or the time of day before
     */
    public record Entry(Instant at, String phase, String message, String stamp) {
        /** @return the line as the live log printed it */
        public String line() {
            return "%s %-9s %s".formatted(stamp, phase, message);
        }
    }
}
