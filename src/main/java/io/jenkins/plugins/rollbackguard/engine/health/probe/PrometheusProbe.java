package io.jenkins.plugins.rollbackguard.engine.health.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;
import io.jenkins.plugins.rollbackguard.engine.spi.Masker;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A Prometheus instant query. Server trouble (unreachable, non-200, {@code status: error}, unreadable
 * answer, several series without aggregation) is an ERROR: the provider failed, not the target. An
 * empty result, NaN or an infinity is NO_DATA. Otherwise the value is the scalar, the single sample, or the
 * aggregate of all samples, with outcome SUCCESS for the thresholds to judge. A rate probe ({@code judge:
 * sequential}) runs its {@code analysis.events} and {@code analysis.trials} queries instead, and its sample counts
 * the one out of the other.
 */
final class PrometheusProbe implements Probe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ANSWER = 4 * 1024 * 1024;

    private final PrometheusProbeSpec spec;
    private final HttpClient client;
    private final Map<String, String> authHeaders;
    private final Masker masker;
    private final Scheduler clock;
    private volatile String last; // the last answer, for the evidence of a trip

    PrometheusProbe(final PrometheusProbeSpec spec, final HttpClient client, final Map<String, String> authHeaders,
            final Masker masker, final Scheduler clock) {
        this.spec = spec;
        this.client = client;
        this.authHeaders = Map.copyOf(authHeaders);
        this.masker = masker;
        this.clock = clock;
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
        return read(clock.now(), false);
    }

    /** Reads the queries as Prometheus evaluated them at a past instant ({@code time=}, its history). */
    @Override
    public java.util.Optional<CompletableFuture<Measurement>> sampleAt(final Instant at) {
        return java.util.Optional.of(read(at, true));
    }

    private CompletableFuture<Measurement> read(final Instant at, final boolean past) {
        if (!spec.countsRate()) {
            return query(at, spec.query(), past);
        }
        // a rate (judge: sequential): the events and the trials, each its own query, at the same time
        String events = spec.analysis().events();
        String trials = spec.analysis().trials();
        return query(at, events, past).thenCombine(query(at, trials, past), (e, t) -> {
            if (e.outcome() != Outcome.SUCCESS) {
                return e.classify(e.outcome(), "analysis.events: " + e.detail());
            }
            if (t.outcome() != Outcome.SUCCESS) {
                return t.classify(t.outcome(), "analysis.trials: " + t.detail());
            }
            return Measurement.counted(at, e.value(), t.value(), Measurement.countsDetail(e.value(), t.value()));
        });
    }

    /**
     * Builds an instant query's address: evaluated now, or at a past instant (seconds since the epoch, with
     * milliseconds), as Prometheus' {@code time} parameter says.
     */
    static String queryPath(final String promql, final Instant at, final boolean past) {
        return "api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + (past ? "&time=" + java.math.BigDecimal.valueOf(at.toEpochMilli(), 3).toPlainString() : "");
    }

    private CompletableFuture<Measurement> query(final Instant at, final String promql, final boolean past) {
        Duration timeout = Durations.parse("timeout", spec.timeout());
        String base = spec.url().endsWith("/") ? spec.url() : spec.url() + "/";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + queryPath(promql, at, past)))
                .timeout(timeout).GET();
        authHeaders.forEach(request::header);
        CompletableFuture<HttpResponse<CappedBody>> exchange = client.sendAsync(request.build(),
                CappedBody.handler(MAX_ANSWER));
        Deadline.cancelAfter(exchange, timeout.toMillis());
        return exchange.handle((response, error) -> {
            if (error != null) {
                Measurement failed = error(at, "query failed: " + rootCause(error));
                last = promql + " at " + at + "\nno answer: " + failed.detail() + "\n";
                return failed;
            }
            byte[] bytes = response.body().bytes();
            int shown = Math.min(bytes.length, RESPONSE_BYTES);
            last = promql + " at " + at + "\nstatus " + response.statusCode() + "\n\n"
                    + new String(bytes, 0, shown, StandardCharsets.UTF_8)
                    + (shown < bytes.length ? "\n[answer cut at " + shown + " bytes]" : "") + "\n";
            return read(at, response, promql);
        });
    }

    private Measurement read(final Instant at, final HttpResponse<CappedBody> response, final String promql) {
        JsonNode root;
        try {
            root = JSON.readTree(response.body().bytes());
        }
        catch (IOException e) {
            return error(at, "answer with status %d is not JSON".formatted(response.statusCode()));
        }
        if (response.statusCode() != 200 || !"success".equals(root.path("status").asText())) {
            return error(at, "status %d: %s".formatted(response.statusCode(),
                    root.path("error").asText("no error text")));
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText();
        if ("scalar".equals(type)) {
            return value(at, List.of(sampleValue(data.path("result"))), promql);
        }
        if (!"vector".equals(type)) {
            return error(at, "result type '%s' is not a scalar or a vector".formatted(type));
        }
        List<Double> values = new ArrayList<>();
        data.path("result").forEach(series -> values.add(sampleValue(series.path("value"))));
        return value(at, values, promql);
    }

    private Measurement value(final Instant at, final List<Double> values, final String promql) {
        if (values.isEmpty()) {
            return Measurement.withoutValue(at, Outcome.NO_DATA, "empty result for " + mask(promql));
        }
        if (values.size() > 1 && spec.aggregation() == null) {
            return error(at, "%d series, expected one; set an aggregation".formatted(values.size()));
        }
        double value = aggregate(values);
        if (Double.isNaN(value)) {
            return Measurement.withoutValue(at, Outcome.NO_DATA, "result is NaN");
        }
        if (Double.isInfinite(value)) { // a ratio over no requests: no number to judge (the no-data table)
            return Measurement.withoutValue(at, Outcome.NO_DATA, "result is " + (value > 0 ? "+Inf" : "-Inf"));
        }
        return Measurement.of(at, value, Outcome.SUCCESS, values.size() == 1 ? "1 series"
                : "%s of %d series".formatted(spec.aggregation(), values.size()));
    }

    private double aggregate(final List<Double> values) {
        if (values.size() == 1) {
            return values.get(0);
        }
        var stats = values.stream().mapToDouble(Double::doubleValue).summaryStatistics();
        return switch (spec.aggregation()) {
            case "sum" -> stats.getSum();
            case "avg" -> stats.getAverage();
            case "min" -> stats.getMin();
            case "max" -> stats.getMax();
            default -> stats.getCount();
        };
    }

    private static double sampleValue(final JsonNode pair) {
        try {
            String text = pair.path(1).asText("NaN");
            return switch (text) { // Prometheus writes infinities as +Inf and -Inf, which Java does not read
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(text);
            };
        }
        catch (NumberFormatException e) {
            return Double.NaN; // Prometheus writes numbers as text; anything else is no data
        }
    }

    private Measurement error(final Instant at, final String detail) {
        return Measurement.withoutValue(at, Outcome.ERROR, mask(detail));
    }

    private static String rootCause(final Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private String mask(final String text) {
        return masker.mask(text);
    }

    @Override
    public java.util.Optional<String> lastResponse() {
        return java.util.Optional.ofNullable(last).map(this::mask);
    }
}
