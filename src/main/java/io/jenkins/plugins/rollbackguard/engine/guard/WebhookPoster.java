package io.jenkins.plugins.rollbackguard.engine.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Masker;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Posts a JSON body to a webhook: up to {@link #ATTEMPTS} tries with growing pauses (scheduled, no thread
 * waits); 2xx counts as delivered. A bearer token goes only into the request header and is masked in
 * every line told to the listener. The returned future always completes normally: a webhook that is down
 * must not fail a deploy or a ledger write.
 */
final class WebhookPoster {
    static final int ATTEMPTS = 3;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Scheduler scheduler;
    private final GuardListener listener;

    WebhookPoster(final HttpClient client, final Scheduler scheduler, final GuardListener listener) {
        this.client = client;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    /**
     * Posts a body.
     *
     * @param url
     *         where to
     * @param token
     *         a bearer token, or null
     * @param body
     *         the JSON object's fields
     * @return completes (normally) when delivered or given up
     */
    CompletableFuture<Void> post(final String url, final Secret token, final Map<String, Object> body) {
        Masker masker = Masker.of(token == null ? List.of() : List.of(token));
        CompletableFuture<Void> done = new CompletableFuture<>();
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (token != null) {
                builder.header("Authorization", "Bearer " + token.reveal());
            }
            request = builder.build();
        }
        catch (IllegalArgumentException | JsonProcessingException e) {
            listener.error(masker.mask("webhook %s: not sent (%s)".formatted(url, e.getMessage())));
            done.complete(null);
            return done;
        }
        attempt(request, url, 1, masker, done);
        return done;
    }

    private void attempt(final HttpRequest request, final String url, final int attempt, final Masker masker,
                         final CompletableFuture<Void> done) {
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                done.complete(null);
                return;
            }
            String why = error != null ? error.getClass().getSimpleName() + ": " + error.getMessage()
                    : "HTTP " + response.statusCode();
            if (attempt >= ATTEMPTS) {
                listener.error(masker.mask("webhook %s: gave up after %d attempts (%s)".formatted(url, attempt, why)));
                done.complete(null);
                return;
            }
            Duration pause = FIRST_PAUSE.multipliedBy(1L << (attempt - 1));
            scheduler.schedule(pause, () -> attempt(request, url, attempt + 1, masker, done));
        });
    }
}
