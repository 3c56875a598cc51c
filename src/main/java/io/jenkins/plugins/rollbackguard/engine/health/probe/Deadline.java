package io.jenkins.plugins.rollbackguard.engine.health.probe;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cancels an HTTP exchange that has not completed within its total timeout. The timer is called off
 * as soon as the exchange completes, so a finished exchange (and its body of up to 1 MiB) does not stay
 * reachable from a timer queue, and a thousand probes a second cost no timer firing and no thread hop.
 */
final class Deadline {
    private Deadline() {
        // static helper only
    }

    /**
     * Arms the deadline.
     *
     * @param exchange
     *         the exchange to cancel
     * @param millis
     *         the total timeout
     */
    static void cancelAfter(final CompletableFuture<?> exchange, final long millis) {
        // orTimeout() uses the JDK's one delay thread and removes its timer task when the future completes
        // first; the cancel then runs on that thread, without a hop to the common pool.
        CompletableFuture<Void> timer = new CompletableFuture<Void>().orTimeout(millis, TimeUnit.MILLISECONDS);
        timer.whenComplete((ignored, timedOut) -> {
            if (timedOut != null) {
                exchange.cancel(true);
            }
        });
        exchange.whenComplete((result, error) -> timer.complete(null));
    }
}
