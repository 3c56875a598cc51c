package io.jenkins.plugins.rollbackguard.engine.guard;

import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.Secret;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Posts guard events to webhooks as JSON: {@code text} (Slack-compatible) plus {@code event},
 * {@code environment}, {@code point}, {@code at} and, when the point opened or ended an incident, {@code incident}: the
 * three figures of docs/ledger.md ("Incident figures") in milliseconds and as printed; when the point has a verdict
 * explanation, {@code explanation}: its record (docs/ledger.md, "Verdict explanation"). Each target gets up to
 * {@link #ATTEMPTS} tries with growing pauses (scheduled, no thread waits); 2xx counts as delivered.
 */
public final class WebhookNotifier implements Notifier {
    static final int ATTEMPTS = WebhookPoster.ATTEMPTS;

    private final List<NotificationSpec> targets;
    private final SecretSource secrets;
    private final WebhookPoster poster;
    private final GuardListener listener;

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
        this.poster = new WebhookPoster(client, scheduler, listener);
        this.listener = listener;
    }

    @Override
    public CompletableFuture<Void> notify(final GuardEvent event) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (NotificationSpec target : targets) {
            if (target.events().contains(event.type())) {
                Secret token;
                try {
                    token = target.tokenSecret() == null ? null
                            : secrets.require(target.tokenSecret(), "notifications.tokenSecret");
                }
                catch (IllegalArgumentException e) { // a webhook must not fail the deploy or the revert it reports
                    listener.error("webhook %s: not sent (%s)".formatted(target.url(), e.getMessage()));
                    continue;
                }
                sends.add(poster.post(target.url(), token, body(event)));
            }
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    /** The figures as the command line's {@code --json} names them; times as ISO-8601 text (the poster has no time module). */
    private static Map<String, Object> incident(final io.jenkins.plugins.rollbackguard.engine.ledger.Incident.Report report) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("point", report.point());
        figures.put("restoredBy", report.restoredBy());
        figures.put("open", report.open());
        figures.put("deployedAt", report.deployedAt() == null ? null : report.deployedAt().toString());
        figures.put("detectedAt", report.detectedAt() == null ? null : report.detectedAt().toString());
        figures.put("restoredAt", report.restoredAt() == null ? null : report.restoredAt().toString());
        figures.put("timeToDetectMs", report.timeToDetectMs());
        figures.put("timeToRestoreMs", report.timeToRestoreMs());
        figures.put("durationMs", report.durationMs());
        figures.put("timeToDetect", report.timeToDetect());
        figures.put("timeToRestore", report.timeToRestore());
        figures.put("duration", report.duration());
        return figures;
    }

    /** The verdict explanation record as {@code --json} gives it, absent parts left out; its time as ISO-8601 text. */
    private static Map<String, Object> explanation(final io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation why) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("probe", why.probe());
        fields.put("status", why.status() == null ? null : why.status().name());
        fields.put("rule", why.rule());
        fields.put("metric", why.metric());
        fields.put("unit", why.unit());
        fields.put("threshold", why.threshold());
        fields.put("baseline", why.baseline());
        fields.put("baselineSamples", why.baselineSamples());
        fields.put("observed", why.observed());
        fields.put("change", why.change());
        fields.put("changeText", why.changeText());
        fields.put("window", why.window());
        fields.put("samples", why.samples());
        fields.put("judged", why.judged());
        fields.put("failures", why.failures());
        fields.put("detail", why.detail());
        fields.put("at", why.at() == null ? null : why.at().toString());
        fields.put("text", why.text());
        fields.values().removeIf(java.util.Objects::isNull);
        return fields;
    }

    private static Map<String, Object> body(final GuardEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", "[rollback-guard] %s %s: %s".formatted(event.environment(), event.type(), event.text()));
        body.put("event", event.type().name());
        body.put("environment", event.environment());
        body.put("point", event.pointId());
        body.put("at", event.at().toString());
        if (event.incident() != null) {
            body.put("incident", incident(event.incident()));
        }
        if (event.explanation() != null) {
            body.put("explanation", explanation(event.explanation()));
        }
        return body;
    }
}
