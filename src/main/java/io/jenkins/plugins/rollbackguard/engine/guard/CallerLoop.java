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
 */
public final class CallerLoop implements Executor {
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    @Override
    public void execute(final Runnable task) {
        tasks.add(task);
    }

    /**
     * Runs the work handed to this loop until a future completes.
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
        while (!future.isDone()) {
            Runnable next;
            try {
                next = tasks.poll(50, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                continue; // a stop reaches the machine through interrupt(); this thread keeps serving it
            }
            if (next != null) {
                next.run();
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
