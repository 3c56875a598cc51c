package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.Secret;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private WebhookReceiver hook;
    private final SystemScheduler scheduler = new SystemScheduler(1);

    @BeforeEach
    void startServer() throws IOException {
        hook = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        hook.close();
        scheduler.close();
    }

    private Ledger ledger(final List<LedgerWebhooks.Target> targets) {
        LedgerWebhooks webhooks = new LedgerWebhooks(() -> targets, HttpClient.newHttpClient(), scheduler, hook);
        return Ledger.open(root, Ledger.Options.defaults().withEvents(webhooks));
    }

    private static JsonNode json(final String body) {
        try {
            return JSON.readTree(body);
        }
        catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    @Test
    void shouldPostTheWantedEventsWithTheToken() {
        Ledger ledger = ledger(List.of(new LedgerWebhooks.Target(hook.url(), Secret.of(TOKEN),
                Set.of(LedgerEvent.Type.STATUS_CHANGED, LedgerEvent.Type.CIRCUIT_OPENED))));

        RollbackPoint point = ledger.record(RollbackPoint.builder(SHOP, PointSource.cli("v2")), "ci", "deploy v2");
        ledger.transition(SHOP, point.id(), PointStatus.DEPLOYING, "ci", "deploying");
        ledger.openCircuit(SHOP, "error rate 12% > 5%", "guard", point.id());

        await().atMost(Duration.ofSeconds(10)).until(() -> hook.bodies().size() == 2);
        List<JsonNode> bodies = hook.bodies().stream().map(LedgerWebhooksTest::json).toList();
        assertThat(bodies).extracting(body -> body.get("event").asText())
                .containsExactlyInAnyOrder("STATUS_CHANGED", "CIRCUIT_OPENED");
        JsonNode opened = bodies.stream().filter(b -> "CIRCUIT_OPENED".equals(b.get("event").asText())).findFirst()
                .orElseThrow();
        assertThat(opened.get("environment").asText()).isEqualTo("shop");
        assertThat(opened.get("point").asLong()).isEqualTo(point.id());
        assertThat(opened.get("actor").asText()).isEqualTo("guard");
        assertThat(opened.get("reason").asText()).isEqualTo("error rate 12% > 5%");
        assertThat(opened.get("text").asText()).startsWith("[rollback-guard] shop: ").contains("CIRCUIT_OPENED");
        assertThat(hook.authorizations()).containsOnly("Bearer " + TOKEN);
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
        hook.failNext(Integer.MAX_VALUE);
        Ledger ledger = ledger(List.of(new LedgerWebhooks.Target(hook.url(), Secret.of(TOKEN),
                Set.of(LedgerEvent.Type.CIRCUIT_RESET))));
        RollbackPoint point = ledger.record(RollbackPoint.builder(SHOP, PointSource.cli("v1")), "ci", "");
        ledger.openCircuit(SHOP, "error rate 12% > 5%", "guard", point.id()); // a reset of a closed one records nothing

        ledger.resetCircuit(SHOP, "fixed by hand", "alice");

        await().atMost(Duration.ofSeconds(15)).until(() -> !hook.errors().isEmpty());
        assertThat(hook.bodies()).hasSize(WebhookPoster.ATTEMPTS);
        assertThat(hook.errors()).singleElement().asString().contains("gave up after 3 attempts", "HTTP 503")
                .doesNotContain(TOKEN);
    }
}
