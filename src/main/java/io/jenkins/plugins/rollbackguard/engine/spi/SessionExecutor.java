package io.jenkins.plugins.rollbackguard.engine.spi;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A pool that belongs to one session of its host, for hosts whose process outlives a session (a Jenkins restarted in
 * the same JVM, as test harnesses do). {@link #shutdown()} ends the session: running and queued tasks finish (a
 * ledger write is never cut in half), and every executor bound to that session refuses what it is given later
 * ({@link RejectedExecutionException}, so that a caller waiting on a future learns it), so that work of an ended
 * session (an old watch's next sample) cannot run beside its resumed copy. The next task of the new session starts
 * a new pool.
 */
public final class SessionExecutor {
    private final Supplier<ExecutorService> factory;
    private final UnaryOperator<Runnable> wrap;
    private final Consumer<Runnable> dropped;
    private ExecutorService pool; // guarded by this; created on first use in a session
    private long session = 1; // guarded by this

    /**
     * Creates the pool.
     *
     * @param factory
     *         makes the executor of a session
     * @param wrap
     *         wraps each task (e.g. to run it as a given user)
     * @param dropped
     *         told of each task refused because its session ended
     */
    public SessionExecutor(final Supplier<ExecutorService> factory, final UnaryOperator<Runnable> wrap,
            final Consumer<Runnable> dropped) {
        this.factory = factory;
        this.wrap = wrap;
        this.dropped = dropped;
    }

    /** @return the current session */
    public synchronized long session() {
        return session;
    }

    /** @param bound a session @return whether it is still the current one */
    public boolean isCurrent(final long bound) {
        return session() == bound;
    }

    /** @return an executor bound to the current session */
    public Executor executor() {
        long bound = session();
        return task -> execute(bound, task);
    }

    /**
     * Runs a task in the current session.
     *
     * @param task
     *         the task
     */
    public void execute(final Runnable task) {
        execute(session(), task);
    }

    private void execute(final long bound, final Runnable task) {
        ExecutorService target;
        synchronized (this) {
            if (bound != session) {
                dropped.accept(task);
                throw new RejectedExecutionException("the session this task belongs to has ended");
            }
            if (pool == null) {
                pool = factory.get();
            }
            target = pool;
        }
        target.execute(wrap.apply(task));
    }

    /** Ends the current session and starts the next; the old session's tasks already given still run. */
    public void shutdown() {
        ExecutorService ended;
        synchronized (this) {
            session++;
            ended = pool;
            pool = null;
        }
        if (ended != null) {
            ended.shutdown();
        }
    }
}
