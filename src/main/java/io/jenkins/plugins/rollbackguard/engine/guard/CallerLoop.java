package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The work executor of a blocking driver: work handed to it runs on the thread that {@linkplain #await awaits} the
 * machine, one task at a time, so that a command-line run does its backups, hooks and deploy on its own thread while
 * samples run on the sample pool. A nested revert awaits its own loop on the same thread.
 *
 * <p>A host whose thread is interrupted to stop the deploy (a Jenkins build's executor, aborted) awaits with
 * {@link #await(CompletableFuture, Runnable)}: it hears each interrupt of its thread that came while the loop waited,
 * or that a task left set, and tells the machine ({@link GuardMachine#interrupt}) why.</p>
 */
public final class CallerLoop implements Executor {
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    @Override
    public void execute(final Runnable task) {
        tasks.add(task);
    }

    /**
     * Runs the work handed to this loop until a future completes; interrupts of this thread are ignored (a stop
     * reaches the machine through {@link GuardMachine#interrupt}).
     *
     * @param future
     *         what to wait for
     * @param <T>
     *         its value
     * @return its value
     * @throws RuntimeException
     *         the future's own failure, unwrapped
     */
    public <T> T await(final CompletableFuture<T> future) {
        return await(future, () -> {
        });
    }

    /**
     * Runs the work handed to this loop until a future completes, and tells the host each time its thread was
     * interrupted meanwhile; the thread's flag is cleared first, and the loop goes on serving the machine, which the
     * host stops with {@link GuardMachine#interrupt} (its work runs here too).
     *
     * @param future
     *         what to wait for
     * @param onInterrupt
     *         runs on this thread after each interrupt of it
     * @param <T>
     *         its value
     * @return its value
     * @throws RuntimeException
     *         the future's own failure, unwrapped
     */
    public <T> T await(final CompletableFuture<T> future, final Runnable onInterrupt) {
        while (!future.isDone()) {
            Runnable next;
            try {
                next = tasks.poll(50, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                onInterrupt.run();
                continue;
            }
            if (next != null) {
                next.run();
            }
            if (Thread.interrupted()) { // an interrupt that a task of the machine left set
                onInterrupt.run();
            }
        }
        try {
            return future.get();
        }
        catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new GuardException(String.valueOf(cause), cause);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuardException("interrupted", e);
        }
    }
}
