package io.jenkins.plugins.rollbackguard.engine.health.probe;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Cancels an HTTP exchange that has not completed within its total timeout. The timer holds the
 * exchange only until it completes: a finished exchange (and its body of up to 1 MiB) must not stay
 * reachable from the timer queue for the rest of the timeout.
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
        AtomicReference<CompletableFuture<?>> pending = new AtomicReference<>(exchange);
        exchange.whenComplete((result, error) -> pending.set(null));
        // one JDK daemon thread times all deadlines; the cancel itself is cheap
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(() -> {
            CompletableFuture<?> open = pending.getAndSet(null);
            if (open != null) {
                open.cancel(true);
            }
        });
    }
}
