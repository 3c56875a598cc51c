package io.jenkins.plugins.rollbackguard.engine.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} in virtual time for unit tests: nothing runs until the test advances the clock,
 * then due tasks run in order of their due time on the test's thread.
 */
public final class VirtualScheduler implements Scheduler {
    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.order));
    private Instant now;
    private long order;

    /**
     * Creates a scheduler.
     *
     * @param start
     *         the initial virtual time
     */
    public VirtualScheduler(final Instant start) {
        this.now = start;
    }

    /** Creates a scheduler starting at 2026-01-01T00:00:00Z. */
    public VirtualScheduler() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(final Duration delay, final Runnable task) {
        Task entry = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), order++, task);
        queue.add(entry);
        return () -> {
            synchronized (VirtualScheduler.this) {
                queue.remove(entry);
            }
        };
    }

    /**
     * Advances virtual time, running every task that falls due, including those scheduled meanwhile.
     *
     * @param duration
     *         how far to advance
     */
    public void advance(final Duration duration) {
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due;
            }
            next.task.run();
        }
    }

    /** Runs tasks until none is left, advancing time as far as needed (bounded to avoid endless loops). */
    public void runUntilIdle() {
        for (int i = 0; i < 1_000_000; i++) {
            Task next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    return;
                }
                now = next.due.isAfter(now) ? next.due : now;
            }
            next.task.run();
        }
        throw new AssertionError("VirtualScheduler: still busy after 1,000,000 tasks");
    }

    /** @return how many tasks wait */
    public synchronized int pending() {
        return queue.size();
    }

    private record Task(Instant due, long order, Runnable task) {
    }
}
