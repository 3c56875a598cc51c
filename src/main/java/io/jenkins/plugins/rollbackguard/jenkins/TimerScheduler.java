package io.jenkins.plugins.rollbackguard.jenkins;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jenkins.util.Timer;

import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;

/**
 * The engine's {@link Scheduler} on {@link Timer}: the shared timer only fires; the task itself is handed to the
 * {@link SamplePool}, so a slow sample never holds one of Jenkins' ten timer threads.
 */
public class TimerScheduler implements Scheduler {
    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Cancellable schedule(final Duration delay, final Runnable task) {
        ScheduledFuture<?> future = Timer.get().schedule(() -> SamplePool.execute(task),
                Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }
}
