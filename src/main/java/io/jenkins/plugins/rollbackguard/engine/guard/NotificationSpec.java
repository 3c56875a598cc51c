package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jenkins.plugins.rollbackguard.engine.spi.SecretNames;

/**
 * A webhook told of guard events with a JSON body (a Slack-compatible {@code text} field plus the
 * details). The optional token is a secret's name, sent as {@code Authorization: Bearer}.
 *
 * @param url
 *         the http or https URL
 * @param tokenSecret
 *         the name of a secret holding a bearer token, or null
 * @param events
 *         the events to send (default: all)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationSpec(String url, String tokenSecret, Set<GuardEvent.Type> events) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Checks the URL and the token's secret name. */
    public NotificationSpec {
        tokenSecret = SecretNames.check("notifications.tokenSecret", tokenSecret);
        URI uri;
        try {
            uri = URI.create(url == null ? "" : url);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("notifications.url: '%s' is not a URL".formatted(url), e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("notifications.url: '%s' must be an http or https URL".formatted(url));
        }
        events = events == null || events.isEmpty() ? Set.of(GuardEvent.Type.values()) : Set.copyOf(events);
    }

    /**
     * Creates a webhook for every event.
     *
     * @param url
     *         the URL
     * @return the spec
     */
    public static NotificationSpec all(final String url) {
        return new NotificationSpec(url, null, null);
    }

    /** @return the events as a sorted list, for messages */
    public List<GuardEvent.Type> eventList() {
        return events.stream().sorted().toList();
    }
}
