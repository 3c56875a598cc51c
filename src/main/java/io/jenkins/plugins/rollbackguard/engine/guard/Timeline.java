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
 * kept for the summary (detection time, time to restore).
 */
public final class Timeline {
    private final Supplier<Instant> clock;
    private final GuardListener listener;
    private final Instant start;
    private final List<Entry> entries = new ArrayList<>();
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
        Entry entry = new Entry(clock.get(), phase, masker.get().mask(message));
        entries.add(entry);
        listener.info("[%6.1fs] %-9s %s".formatted(Duration.between(start, entry.at()).toMillis() / 1000.0, phase, message));
        return entry;
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
        listener.info("[%6.1fs] %-9s %s".formatted(Duration.between(start, clock.get()).toMillis() / 1000.0, phase, masked));
    }

    /** @return the entries so far */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** @return when the timeline started */
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
     */
    public record Entry(Instant at, String phase, String message) {
    }
}
