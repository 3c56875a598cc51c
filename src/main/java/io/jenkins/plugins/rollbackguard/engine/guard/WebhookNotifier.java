package io.jenkins.plugins.rollbackguard.engine.guard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Masker;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.Secret;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * Posts guard events to webhooks as JSON: {@code text} (Slack-compatible) plus {@code event},
 * {@code environment}, {@code point} and {@code at}. Each target gets up to {@link #ATTEMPTS} tries
 * with growing pauses (scheduled, no thread waits); 2xx counts as delivered.
 */
public final class WebhookNotifier implements Notifier {
    static final int ATTEMPTS = 3;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<NotificationSpec> targets;
    private final SecretSource secrets;
    private final HttpClient client;
    private final Scheduler scheduler;
    private final GuardListener listener;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * Creates a notifier.
     *
     * @param targets
     *         the webhooks
     * @param secrets
     *         resolves token names
     * @param client
     *         the HTTP client
     * @param scheduler
     *         times the retries
     * @param listener
     *         told of deliveries and failures
     */
    public WebhookNotifier(final List<NotificationSpec> targets, final SecretSource secrets, final HttpClient client,
                           final Scheduler scheduler, final GuardListener listener) {
        this.targets = List.copyOf(targets);
        this.secrets = secrets;
        this.client = client;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    @Override
    public CompletableFuture<Void> notify(final GuardEvent event) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (NotificationSpec target : targets) {
            if (target.events().contains(event.type())) {
                sends.add(send(target, event));
            }
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> send(final NotificationSpec target, final GuardEvent event) {
        Secret token = target.tokenSecret() == null ? null : secrets.require(target.tokenSecret(), "notifications.tokenSecret");
        Masker masker = Masker.of(token == null ? List.of() : List.of(token));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url()))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(event)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token.reveal());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(request.build(), target, 1, masker, done);
        return done;
    }

    private void attempt(final HttpRequest request, final NotificationSpec target, final int attempt,
                         final Masker masker, final CompletableFuture<Void> done) {
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            boolean ok = error == null && response.statusCode() / 100 == 2;
            if (ok) {
                done.complete(null);
                return;
            }
            String why = error != null ? error.getClass().getSimpleName() + ": " + error.getMessage()
                    : "HTTP " + response.statusCode();
            if (attempt >= ATTEMPTS) {
                listener.error(masker.mask("webhook %s: gave up after %d attempts (%s)".formatted(target.url(), attempt, why)));
                done.complete(null);
                return;
            }
            Duration pause = FIRST_PAUSE.multipliedBy(1L << (attempt - 1));
            scheduler.schedule(pause, () -> attempt(request, target, attempt + 1, masker, done));
        });
    }

    private String body(final GuardEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", "[rollback-guard] %s %s: %s".formatted(event.environment(), event.type(), event.text()));
        body.put("event", event.type().name());
        body.put("environment", event.environment());
        body.put("point", event.pointId());
        body.put("at", event.at().toString());
        try {
            return json.writeValueAsString(body);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }
}
