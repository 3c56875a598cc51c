package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Secret;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tests the class {@link LedgerWebhooks} on a real ledger and a real local HTTP server. */
class LedgerWebhooksTest {
    private static final String TOKEN = "ledger-hook-token-0042";
    private static final EnvironmentName SHOP = EnvironmentName.of("shop");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    private Path root;
    private HttpServer server;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final SystemScheduler scheduler = new SystemScheduler(1);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        scheduler.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private Ledger ledger(final List<LedgerWebhooks.Target> targets) {
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
        LedgerWebhooks hooks = new LedgerWebhooks(() -> targets, HttpClient.newHttpClient(), scheduler, listener);
        return Ledger.open(root, Ledger.Options.defaults().withEvents(hooks));
    }

    @Test
    void shouldPostTheWantedEventsWithTheToken() {
        Ledger ledger = ledger(List.of(new LedgerWebhooks.Target(url(), Secret.of(TOKEN),
                Set.of(LedgerEvent.Type.STATUS_CHANGED, LedgerEvent.Type.CIRCUIT_OPENED))));

        RollbackPoint point = ledger.record(RollbackPoint.builder(SHOP, PointSource.cli("v2")), "ci", "deploy v2");
        ledger.transition(SHOP, point.id(), PointStatus.DEPLOYING, "ci", "deploying");
        ledger.openCircuit(SHOP, "error rate 12% > 5%", "guard", point.id());

        await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 2);
        assertThat(bodies).extracting(body -> body.get("event").asText())
                .containsExactlyInAnyOrder("STATUS_CHANGED", "CIRCUIT_OPENED");
        JsonNode opened = bodies.stream().filter(b -> "CIRCUIT_OPENED".equals(b.get("event").asText())).findFirst()
                .orElseThrow();
        assertThat(opened.get("environment").asText()).isEqualTo("shop");
        assertThat(opened.get("point").asLong()).isEqualTo(point.id());
        assertThat(opened.get("actor").asText()).isEqualTo("guard");
        assertThat(opened.get("reason").asText()).isEqualTo("error rate 12% > 5%");
        assertThat(opened.get("text").asText()).startsWith("[rollback-guard] shop: ").contains("CIRCUIT_OPENED");
        assertThat(authorizations).containsOnly("Bearer " + TOKEN);
    }

    @Test
    @Timeout(30) // told while still holding the environment's lock, the second ledger below would wait forever
    void shouldTellOnlyOnceTheEventIsOnDiskAndTheLockIsFree() {
        List<Boolean> readable = new ArrayList<>();
        Ledger ledger = Ledger.open(root, Ledger.Options.defaults().withEvents(event -> readable.add(
                Ledger.open(root).size(SHOP) == event.pointId())));

        ledger.record(RollbackPoint.builder(SHOP, PointSource.cli("v1")), "ci", "");
        ledger.record(RollbackPoint.builder(SHOP, PointSource.cli("v2")), "ci", "");

        assertThat(readable).containsExactly(true, true);
    }

    @Test
    void shouldKeepWritingWhenAnObserverThrows() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Ledger ledger = Ledger.open(root, Ledger.Options.defaults().withWarnings(warnings::add).withEvents(event -> {
            throw new IllegalStateException("observer bug");
        }));

        RollbackPoint point = ledger.record(RollbackPoint.builder(SHOP, PointSource.cli("v1")), "ci", "");

        assertThat(ledger.point(SHOP, point.id()).status()).isEqualTo(PointStatus.RECORDED);
        assertThat(warnings).singleElement().asString().contains("observer", "shop", "observer bug");
    }

    @Test
    void shouldGiveUpOnADeadWebhookWithoutShowingTheToken() {
        status.set(500);
        Ledger ledger = ledger(List.of(new LedgerWebhooks.Target(url(), Secret.of(TOKEN),
                Set.of(LedgerEvent.Type.CIRCUIT_RESET))));
        ledger.record(RollbackPoint.builder(SHOP, PointSource.cli("v1")), "ci", "");

        ledger.resetCircuit(SHOP, "fixed by hand", "alice");

        await().atMost(Duration.ofSeconds(15)).until(() -> !errors.isEmpty());
        assertThat(bodies).hasSize(WebhookPoster.ATTEMPTS);
        assertThat(errors).singleElement().asString().contains("gave up after 3 attempts", "HTTP 500")
                .doesNotContain(TOKEN);
    }
}
