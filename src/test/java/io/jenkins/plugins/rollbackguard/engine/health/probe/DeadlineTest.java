package io.jenkins.plugins.rollbackguard.engine.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Tests the class {@link Deadline}. */
class DeadlineTest {
    @Test
    void shouldCancelAnExchangeThatOutlivesItsTimeout() {
        CompletableFuture<String> exchange = new CompletableFuture<>();

        Deadline.cancelAfter(exchange, 50);

        await().atMost(Duration.ofSeconds(5)).until(exchange::isCancelled);
    }

    @Test
    void shouldLeaveACompletedExchangeAloneAndNotKeepItReachable() throws InterruptedException {
        CompletableFuture<byte[]> exchange = new CompletableFuture<>();
        Deadline.cancelAfter(exchange, 3_600_000); // an hour: only a cancelled timer lets the body go sooner
        exchange.complete(new byte[1 << 20]);
        WeakReference<CompletableFuture<byte[]>> reference = new WeakReference<>(exchange);
        assertThat(exchange).isCompleted().isNotCancelled();

        exchange = null; // NOPMD: the point of the test is that nothing else holds it
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return reference.get() == null;
        });
    }
}
