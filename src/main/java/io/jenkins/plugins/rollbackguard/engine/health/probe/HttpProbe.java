package io.jenkins.plugins.rollbackguard.engine.health.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.StatusSet;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;
import io.jenkins.plugins.rollbackguard.engine.spi.Masker;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * An HTTP(S) probe on a shared {@link HttpClient} with asynchronous I/O: no thread waits on a socket.
 * Classification: a status outside {@code expectStatus}, a missing body match, a refused connection and
 * a timeout (connect or total) are FAILUREs; a body that cannot yield the number at {@code jsonPointer}
 * is an ERROR. The value is that number, else the latency in milliseconds.
 */
final class HttpProbe implements Probe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpProbeSpec spec;
    private final HttpClient client;
    private final Map<String, String> authHeaders;
    private final Masker masker;
    private final Scheduler clock;
    private final StatusSet expected;
    private final Pattern bodyMatch;
    private final long timeoutMillis;
    private final HttpRequest request; // immutable, so built once and reused for every sample
    private volatile LastResponse last; // for the evidence of a trip: formatted only when asked

    HttpProbe(final HttpProbeSpec spec, final HttpClient client, final Map<String, String> authHeaders,
            final Masker masker, final Scheduler clock) {
        this.spec = spec;
        this.client = client;
        this.authHeaders = Map.copyOf(authHeaders);
        this.masker = masker;
        this.clock = clock;
        this.expected = StatusSet.parse("expectStatus", spec.expectStatus());
        this.bodyMatch = spec.bodyMatch() == null ? null : Pattern.compile(spec.bodyMatch());
        this.timeoutMillis = Durations.parse("timeout", spec.timeout()).toMillis();
        this.request = request();
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public Measurement sample() {
        return sampleAsync(Runnable::run).join();
    }

    @Override
    public CompletableFuture<Measurement> sampleAsync(final Executor executor) {
        Instant at = clock.now();
        long start = System.nanoTime(); // latency is real elapsed time, whatever clock times the samples
        CompletableFuture<HttpResponse<CappedBody>> exchange;
        try {
            exchange = client.sendAsync(request, CappedBody.handler(spec.maxBodyBytes()));
        }
        catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(at, "request refused: " + e.getMessage()));
        }
        // The request timeout covers only the headers; this also bounds a body that never ends.
        Deadline.cancelAfter(exchange, timeoutMillis);
        return exchange.handle((response, error) -> {
            double latency = (System.nanoTime() - start) / 1e6;
            if (error != null) {
                Measurement failed = failure(at, describe(error));
                last = new LastResponse(at, 0, null, failed.detail());
                return failed;
            }
            return judge(at, response, latency);
        });
    }

    private HttpRequest request() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(spec.url()))
                .timeout(java.time.Duration.ofMillis(timeoutMillis))
                .method(spec.method(), HttpRequest.BodyPublishers.noBody());
        if (spec.url().regionMatches(true, 0, "http:", 0, 5)) {
            builder.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance on plain HTTP: it defeats pooling
        }
        spec.headers().forEach(builder::header);
        authHeaders.forEach(builder::header);
        return builder.build();
    }

    private Measurement judge(final Instant at, final HttpResponse<CappedBody> response, final double latency) {
        CappedBody body = response.body();
        last = new LastResponse(at, response.statusCode(), body, null);
        String cut = body.truncated() ? ", body cut off at " + body.bytes().length + " bytes" : "";
        int status = response.statusCode();
        if (!expected.contains(status)) {
            return Measurement.of(at, latency, Outcome.FAILURE,
                    mask("status %d, expected %s%s".formatted(status, expected, cut)));
        }
        if (bodyMatch != null && !bodyMatch.matcher(body.text()).find()) {
            return Measurement.of(at, latency, Outcome.FAILURE, mask("body does not match '%s'%s".formatted(
                    spec.bodyMatch(), cut)));
        }
        if (JsonCounts.wanted(spec.analysis())) { // a rate probe: the counts at analysis.events and .trials
            Measurement counted = JsonCounts.read(at, body.bytes(), spec.analysis());
            return counted.classify(counted.outcome(), mask(counted.detail()));
        }
        if (spec.jsonPointer() == null || spec.jsonPointer().isEmpty()) {
            // concatenation, not String.format: this runs for every sample of every probe
            return Measurement.of(at, latency, Outcome.SUCCESS,
                    "status " + status + " in " + io.jenkins.plugins.rollbackguard.engine.health.Metric.number(latency)
                            + " ms" + cut);
        }
        return readNumber(at, body);
    }

    private Measurement readNumber(final Instant at, final CappedBody body) {
        JsonNode node;
        try {
            node = JSON.readTree(body.bytes()).at(spec.jsonPointer());
        }
        catch (IOException e) {
            return Measurement.withoutValue(at, Outcome.ERROR, "body is not JSON" + (body.truncated()
                    ? " (cut off at " + body.bytes().length + " bytes)" : ""));
        }
        if (node.isNumber()) {
            return Measurement.of(at, node.asDouble(), Outcome.SUCCESS, "value at " + spec.jsonPointer());
        }
        if (node.isTextual()) {
            try {
                return Measurement.of(at, Double.parseDouble(node.asText()), Outcome.SUCCESS,
                        "value at " + spec.jsonPointer());
            }
            catch (NumberFormatException e) {
                // falls through to the error below: a text that is no number
            }
        }
        return Measurement.withoutValue(at, Outcome.ERROR, mask("no number at " + spec.jsonPointer()));
    }

    private Measurement failure(final Instant at, final String detail) {
        return Measurement.withoutValue(at, Outcome.FAILURE, mask(detail));
    }

    private String describe(final Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof java.util.concurrent.CancellationException) {
            return "no answer within " + spec.timeout(); // the body did not end in time
        }
        if (cause instanceof java.net.http.HttpConnectTimeoutException) {
            return "connect timed out after " + spec.connectTimeout();
        }
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + spec.timeout();
        }
        if (cause instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return "I/O error: " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private String mask(final String text) {
        return masker.mask(text);
    }

    @Override
    public java.util.Optional<String> lastResponse() {
        LastResponse response = last;
        return response == null ? java.util.Optional.empty() : java.util.Optional.of(mask(response.describe(spec)));
    }

    /** The last answer: status and body, or why there was none. */
    private record LastResponse(Instant at, int status, CappedBody body, String failure) {
        String describe(final HttpProbeSpec spec) {
            StringBuilder text = new StringBuilder().append(spec.method()).append(' ').append(spec.url()).append(" at ")
                    .append(at).append('\n');
            if (failure != null) {
                return text.append("no answer: ").append(failure).append('\n').toString();
            }
            byte[] bytes = body.bytes();
            int shown = Math.min(bytes.length, RESPONSE_BYTES);
            text.append("status ").append(status).append('\n').append('\n')
                    .append(new String(bytes, 0, shown, java.nio.charset.StandardCharsets.UTF_8));
            if (shown < bytes.length || body.truncated()) {
                text.append("\n[body cut at ").append(shown).append(" bytes]");
            }
            return text.append('\n').toString();
        }
    }
}
