package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/** Tests the class {@link WebhookNotifier} against a real local HTTP server. */
class WebhookNotifierTest {
    private static final String TOKEN = "s3cr3t-token-value";

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

    private WebhookNotifier notifier(final NotificationSpec spec) {
        return new WebhookNotifier(List.of(spec), SecretSource.of(Map.of("HOOK_TOKEN", TOKEN)), HttpClient.newHttpClient(),
                scheduler, hook);
    }

    private String url() {
        return hook.url();
    }

    private static GuardEvent trip() {
        return new GuardEvent(GuardEvent.Type.TRIP, "shop", 7, "error-rate 12% > 5%", Instant.parse("2026-05-01T12:00:00Z"));
    }

    @Test
    void shouldPostSlackCompatibleJsonWithTheBearerToken() throws Exception {
        notifier(new NotificationSpec(url(), "HOOK_TOKEN", null)).notify(trip()).get(10, TimeUnit.SECONDS);

        assertThat(hook.bodies()).singleElement().asString()
                .contains("\"text\":\"[rollback-guard] shop TRIP: error-rate 12% > 5%\"")
                .contains("\"event\":\"TRIP\"").contains("\"point\":7");
        assertThat(hook.authorizations()).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void shouldCarryTheIncidentFiguresOfTheLedger() throws Exception {
        Incident incident = new Incident(7, false, Instant.parse("2026-05-01T12:00:00Z"),
                Instant.parse("2026-05-01T12:00:03.100Z"), 8, Instant.parse("2026-05-01T12:00:09.800Z"));
        GuardEvent result = new GuardEvent(GuardEvent.Type.REVERT_RESULT, "shop", 7, "restored shop",
                Instant.parse("2026-05-01T12:00:20Z"), incident.report(EnvironmentName.of("shop")));

        notifier(NotificationSpec.all(url())).notify(result).get(10, TimeUnit.SECONDS);

        assertThat(hook.bodies()).singleElement().asString()
                .contains("\"incident\":{\"point\":7,\"restoredBy\":8,\"open\":false")
                .contains("\"timeToDetectMs\":3100,\"timeToRestoreMs\":6700,\"durationMs\":9800")
                .contains("\"timeToDetect\":\"3.1 s\",\"timeToRestore\":\"6.7 s\",\"duration\":\"9.8 s\"");
    }

    @Test
    void shouldCarryTheVerdictExplanationOfTheLedger() throws Exception {
        io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation why =
                new io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation("payment-success",
                        io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus.FAILED,
                        "2 failures exceed failureLimit 1", "PromQL payments", "", "failIf drop > 20%", 0.97, 5, 0.70,
                        -0.2784, "0.70 is 27.8% below the baseline 0.97 (median of 5 samples), -0.27",
                        "3 of 10 planned samples, every 30s", 3, 3, 2, null, Instant.parse("2026-05-01T12:00:03Z"), null);
        GuardEvent trip = new GuardEvent(GuardEvent.Type.TRIP, "shop", 7, why.text(), Instant.parse("2026-05-01T12:00:04Z"),
                null, why);

        notifier(NotificationSpec.all(url())).notify(trip).get(10, TimeUnit.SECONDS);

        assertThat(hook.bodies()).singleElement().asString()
                .contains("\"explanation\":{\"probe\":\"payment-success\",\"status\":\"FAILED\"")
                .contains("\"baseline\":0.97,\"baselineSamples\":5,\"observed\":0.7,\"change\":-0.2784")
                .contains("\"changeText\":\"0.70 is 27.8% below the baseline 0.97 (median of 5 samples), -0.27\"")
                .contains("\"at\":\"2026-05-01T12:00:03Z\"").doesNotContain("\"detail\"");
    }

    @Test
    void shouldLeaveTheIncidentOutOfAnEventWithoutOne() throws Exception {
        notifier(NotificationSpec.all(url())).notify(trip()).get(10, TimeUnit.SECONDS);

        assertThat(hook.bodies()).singleElement().asString().doesNotContain("incident");
    }

    @Test
    void shouldRetryUntilDelivered() throws Exception {
        hook.failNext(2);

        notifier(NotificationSpec.all(url())).notify(trip()).get(20, TimeUnit.SECONDS);

        assertThat(hook.bodies()).hasSize(3);
        assertThat(hook.errors()).isEmpty();
    }

    @Test
    void shouldGiveUpAfterThreeAttemptsWithoutLeakingTheToken() throws Exception {
        hook.failNext(10);

        notifier(new NotificationSpec(url(), "HOOK_TOKEN", null)).notify(trip()).get(20, TimeUnit.SECONDS);

        assertThat(hook.bodies()).hasSize(WebhookNotifier.ATTEMPTS);
        assertThat(hook.errors()).singleElement().asString().contains("gave up after 3 attempts").contains("HTTP 503")
                .doesNotContain(TOKEN);
    }

    @Test
    void shouldOnlySendTheChosenEvents() throws Exception {
        notifier(new NotificationSpec(url(), null, Set.of(GuardEvent.Type.FREEZE))).notify(trip()).get(10, TimeUnit.SECONDS);

        assertThat(hook.bodies()).isEmpty();
    }
}
