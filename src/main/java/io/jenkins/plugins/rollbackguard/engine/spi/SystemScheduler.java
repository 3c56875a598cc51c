package io.jenkins.plugins.rollbackguard.engine.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Scheduler} on the system clock with a small daemon thread pool. Used by the command line;
 * Jenkins uses its shared {@code jenkins.util.Timer} instead.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    private final ScheduledExecutorService executor;

    /**
     * Creates a scheduler.
     *
     * @param threads
     *         how many threads run due tasks
     */
    public SystemScheduler(final int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "rollback-guard-timer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.executor = Executors.newScheduledThreadPool(threads, factory);
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Cancellable schedule(final Duration delay, final Runnable task) {
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
