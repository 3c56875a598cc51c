package io.jenkins.plugins.rollbackguard.engine.guard;

import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.Secret;
import java.net.http.HttpClient;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Posts ledger events to the webhooks a host configures for all its environments (Jenkins: the global
 * configuration), whatever caused them: a guarded deploy, a reverting build, a circuit reset from the UI.
 * Give it to {@code Ledger.Options.withEvents}; it is called once an event is on disk. The targets are
 * read at each event, so a configuration change applies to the next one. Posting is asynchronous and
 * never fails the ledger write; a webhook that stays down is reported to the listener, token masked.
 * The JSON body has a Slack-compatible {@code text} plus {@code event}, {@code environment},
 * {@code point}, {@code from}, {@code to}, {@code actor}, {@code reason}, {@code at} and {@code seq}.
 */
public final class LedgerWebhooks implements Consumer<LedgerEvent> {
    private final Supplier<List<Target>> targets;
    private final WebhookPoster poster;

    /**
     * Creates the sender.
     *
     * @param targets
     *         the webhooks, read at each event
     * @param client
     *         the HTTP client
     * @param scheduler
     *         times the retries
     * @param listener
     *         told of webhooks that gave up
     */
    public LedgerWebhooks(final Supplier<List<Target>> targets, final HttpClient client, final Scheduler scheduler,
                          final GuardListener listener) {
        this.targets = targets;
        this.poster = new WebhookPoster(client, scheduler, listener);
    }

    @Override
    public void accept(final LedgerEvent event) {
        Map<String, Object> body = null;
        for (Target target : targets.get()) {
            if (target.events().contains(event.type())) {
                if (body == null) {
                    body = body(event);
                }
                poster.post(target.url(), target.token(), body);
            }
        }
    }

    private static Map<String, Object> body(final LedgerEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", "[rollback-guard] " + event.environment() + ": " + event.describe());
        body.put("event", event.type().name());
        body.put("environment", event.environment().value());
        body.put("point", event.pointId());
        body.put("from", event.from() == null ? null : event.from().name());
        body.put("to", event.to() == null ? null : event.to().name());
        body.put("actor", event.actor());
        body.put("reason", event.reason());
        body.put("at", event.at().toString());
        body.put("seq", event.seq());
        return body;
    }

    /**
     * A webhook for ledger events.
     *
     * @param url
     *         the http or https URL
     * @param token
     *         a bearer token, or null
     * @param events
     *         the event types it wants; empty for all
     */
    public record Target(String url, Secret token, Set<LedgerEvent.Type> events) {
        /** Copies the types; none named means all. */
        public Target {
            events = events == null || events.isEmpty() ? EnumSet.allOf(LedgerEvent.Type.class) : Set.copyOf(events);
        }
    }
}
