package io.jenkins.plugins.rollbackguard.jenkins;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jenkins.util.Timer;

import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;

/**
 * The engine's {@link Scheduler} on {@link Timer}: the shared timer only fires; the task itself is handed to the
 * {@link SamplePool}, so a slow sample never holds one of Jenkins' ten timer threads. The guard machine's other
 * timed tasks are short too (a lease retry only hands its attempt to the {@link WorkPool}), so they share it.
 *
 * <p>Bound to the Jenkins session it was created in, and to nothing else: within that session it schedules
 * whatever it is given, however often (a deploy waiting for an environment's lease retries every 250 ms for up to
 * {@code lockTimeout}). Once the session ended it refuses ({@code RejectedExecutionException}, which ends a watch or a
 * baseline with what it has, and fails a lease wait): the build resumes in the next session with a new scheduler.</p>
 */
public class TimerScheduler implements Scheduler {
    private final long session = SamplePool.session();
    private final Executor pool;

    /** Creates a scheduler whose tasks run on the Pipeline sample pool. */
    public TimerScheduler() {
        this(SamplePool.executor());
    }

    /**
     * Creates a scheduler whose tasks run on a given executor of the plugin.
     *
     * @param pool
     *         where the fired tasks run
     */
    public TimerScheduler(final Executor pool) {
        this.pool = pool;
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Cancellable schedule(final Duration delay, final Runnable task) {
        if (!SamplePool.isCurrent(session)) { // a watch of a Jenkins that has stopped: it ends, its waiters learn it
            throw new RejectedExecutionException("the Jenkins session of this guard has ended");
        }
        ScheduledFuture<?> future = Timer.get().schedule(() -> pool.execute(task),
                Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }
}
