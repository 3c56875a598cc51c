package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/** Tests the class {@link WebhookNotifier} against a real local HTTP server. */
class WebhookNotifierTest {
    private static final String TOKEN = "s3cr3t-token-value";

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final SystemScheduler scheduler = new SystemScheduler(1);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 503 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        scheduler.close();
    }

    private WebhookNotifier notifier(final NotificationSpec spec) {
        GuardListener listener = new GuardListener() {
            @Override
            public void info(final String line) {
                // not asserted
            }

            @Override
            public void error(final String line) {
                errors.add(line);
            }
        };
        return new WebhookNotifier(List.of(spec), SecretSource.of(Map.of("HOOK_TOKEN", TOKEN)), HttpClient.newHttpClient(),
                scheduler, listener);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private static GuardEvent trip() {
        return new GuardEvent(GuardEvent.Type.TRIP, "shop", 7, "error-rate 12% > 5%", Instant.parse("2026-05-01T12:00:00Z"));
    }

    @Test
    void shouldPostSlackCompatibleJsonWithTheBearerToken() throws Exception {
        notifier(new NotificationSpec(url(), "HOOK_TOKEN", null)).notify(trip()).get(10, TimeUnit.SECONDS);

        assertThat(bodies).singleElement().asString()
                .contains("\"text\":\"[rollback-guard] shop TRIP: error-rate 12% > 5%\"")
                .contains("\"event\":\"TRIP\"").contains("\"point\":7");
        assertThat(authorizations).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void shouldRetryUntilDelivered() throws Exception {
        failuresLeft.set(2);

        notifier(NotificationSpec.all(url())).notify(trip()).get(20, TimeUnit.SECONDS);

        assertThat(bodies).hasSize(3);
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldGiveUpAfterThreeAttemptsWithoutLeakingTheToken() throws Exception {
        failuresLeft.set(10);

        notifier(new NotificationSpec(url(), "HOOK_TOKEN", null)).notify(trip()).get(20, TimeUnit.SECONDS);

        assertThat(bodies).hasSize(WebhookNotifier.ATTEMPTS);
        assertThat(errors).singleElement().asString().contains("gave up after 3 attempts").contains("HTTP 503")
                .doesNotContain(TOKEN);
    }

    @Test
    void shouldOnlySendTheChosenEvents() throws Exception {
        notifier(new NotificationSpec(url(), null, Set.of(GuardEvent.Type.FREEZE))).notify(trip()).get(10, TimeUnit.SECONDS);

        assertThat(bodies).isEmpty();
    }
}
