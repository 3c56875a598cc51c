package io.jenkins.plugins.rollbackguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.sun.net.httpserver.HttpServer;
import hudson.util.Secret;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Tests the class {@link GlobalLedgerWebhooks} in Jenkins: the webhooks of the global configuration are told of
 * ledger events with their credential as a bearer token, filtered by event type, and skipped when the credential is
 * missing.
 */
@WithJenkins
class GlobalLedgerWebhooksITest {
    private static final String TOKEN_VALUE = "global-hook-s3cret";
    private static final EnvironmentName SHOP = EnvironmentName.of("shop");

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            bodies.add(exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(final String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void shouldPostWantedLedgerEventsWithTheCredentialAsBearerToken(final JenkinsRule j) {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "hook-token", "webhook token", Secret.fromString(TOKEN_VALUE)));
        WebhookTarget circuits = new WebhookTarget(url("/circuits"));
        circuits.setCredentialsId("hook-token");
        circuits.setEvents("CIRCUIT_OPENED, CIRCUIT_RESET");
        WebhookTarget missing = new WebhookTarget(url("/missing"));
        missing.setCredentialsId("no-such-credential");
        RollbackGuardConfiguration.get().setWebhooks(List.of(circuits, missing));

        Ledger ledger = new LedgerFacade().getLedger();
        RollbackPoint point = ledger.record(RollbackPoint.builder(SHOP, PointSource.cli("v2")), "ci", "deploy");
        ledger.openCircuit(SHOP, "error rate 12% > 5%", "guard", point.id());
        ledger.resetCircuit(SHOP, "fixed", "alice");

        await().atMost(Duration.ofSeconds(20)).until(() -> bodies.size() >= 2);
        assertThat(bodies).hasSize(2).allSatisfy(body -> assertThat(body).startsWith("/circuits "));
        // posted asynchronously: the two may arrive in either order
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains("\"event\":\"CIRCUIT_OPENED\"",
                "\"environment\":\"shop\"", "\"reason\":\"error rate 12% > 5%\""));
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains("\"event\":\"CIRCUIT_RESET\"",
                "\"actor\":\"alice\""));
        assertThat(authorizations).containsOnly("Bearer " + TOKEN_VALUE);
    }
}
