package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.concurrent.CompletableFuture;

/** Tells the outside world about guard events. */
@FunctionalInterface
public interface Notifier {
    /**
     * Sends an event; never throws, never blocks for long.
     *
     * @param event
     *         the event
     * @return completes when every target was told or gave up
     */
    CompletableFuture<Void> notify(GuardEvent event);

    /** @return a notifier that tells nobody */
    static Notifier none() {
        return event -> CompletableFuture.completedFuture(null);
    }
}
