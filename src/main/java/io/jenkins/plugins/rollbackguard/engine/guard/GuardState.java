package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * Where the guard machine of one point stands, kept on the point in the ledger (attribute {@link #ATTRIBUTE}) and
 * written with every transition: a host keeps only the environment and the point id, and a machine rebuilt after a
 * restart continues from this. Each side effect has its entry, written before it starts and again once it is done
 * ({@link #backups}, {@link #revert}, {@link #notices}); an entry that says "started" with no result is in doubt.
 *
 * @param phase
 *         where the machine stands
 * @param deployStartedAt
 *         when the deploy command or body was started (the intent: never started twice)
 * @param watchDeadline
 *         the absolute time at which the watch stops, whatever happens before
 * @param backups
 *         per backup key ({@code point-<id>.<n>}): {@link #STARTED} or the id of the committed backup
 * @param revert
 *         the revert of this point: null (none), {@code started:<target id>}, or {@code done:<result>}
 * @param notices
 *         per notification ({@code TRIP}, {@code FREEZE}, ...): {@link #STARTED} (not yet delivered) or {@code sent}
 * @param interruption
 *         the cause of an interruption, recorded before the machine reacts to it
 * @param result
 *         the outcome's result once the machine is done
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GuardState(Phase phase, Instant deployStartedAt, Instant watchDeadline, Map<String, String> backups,
                         String revert, Map<String, String> notices, Interruption interruption, String result) {
    /** The point attribute that holds this state, as JSON. */
    public static final String ATTRIBUTE = "guard.state";
    /** The point attribute that holds the watch's analyses, as JSON ({@code WatchState}). */
    public static final String WATCH = "guard.watch";
    /** A side effect that was started and whose result is not recorded yet. */
    public static final String STARTED = "started";
    /** A notification that was delivered (or given up by its sender). */
    public static final String SENT = "sent";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer version may add fields
            .build();

    /** Where the machine stands. */
    public enum Phase {
        /** Recorded: baselines and backups are being taken; nothing is deployed. */
        PREPARING,
        /** The deploy was started (or is about to be): its end is reported by the host. */
        DEPLOYING,
        /** Deployed; the probes are watched until {@link #watchDeadline}. */
        WATCHING,
        /** The verdict is recorded; what it asks for (freeze, revert, notifications) is being done. */
        JUDGING,
        /** Nothing more to do. */
        DONE
    }

    /** Copies the maps. */
    public GuardState {
        backups = backups == null ? Map.of() : Map.copyOf(backups);
        notices = notices == null ? Map.of() : Map.copyOf(notices);
    }

    /** @return the state of a point just recorded */
    public static GuardState preparing() {
        return new GuardState(Phase.PREPARING, null, null, Map.of(), null, Map.of(), null, null);
    }

    /**
     * Reads the state a point keeps.
     *
     * @param point
     *         the point
     * @return its guard state, or null when it was not recorded by a guard machine (an adopted point, an older one)
     */
    public static GuardState of(final RollbackPoint point) {
        String text = point.attributes().get(ATTRIBUTE);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(text, GuardState.class);
        }
        catch (JsonProcessingException e) {
            throw new GuardException("the guard state of %s cannot be read (%s); the ledger was changed by hand"
                    .formatted(point.label(), e.getOriginalMessage()), e);
        }
    }

    /** @return the JSON text kept on the point */
    public String write() {
        try {
            return JSON.writeValueAsString(this);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Applies this state to a point being changed.
     *
     * @param builder
     *         the point's builder
     * @return the builder
     */
    public RollbackPoint.Builder applyTo(final RollbackPoint.Builder builder) {
        return builder.attribute(ATTRIBUTE, write());
    }

    /** @param value the phase @return a copy */
    public GuardState withPhase(final Phase value) {
        return new GuardState(value, deployStartedAt, watchDeadline, backups, revert, notices, interruption, result);
    }

    /** @param at when the deploy starts @return a copy in DEPLOYING */
    public GuardState deploying(final Instant at) {
        return new GuardState(Phase.DEPLOYING, at, watchDeadline, backups, revert, notices, interruption, result);
    }

    /** @param deadline when the watch ends @return a copy in WATCHING */
    public GuardState watching(final Instant deadline) {
        return new GuardState(Phase.WATCHING, deployStartedAt, deadline, backups, revert, notices, interruption, result);
    }

    /** @param key the backup's key @param value {@link #STARTED} or the backup id @return a copy */
    public GuardState withBackup(final String key, final String value) {
        Map<String, String> all = new LinkedHashMap<>(backups);
        all.put(key, value);
        return new GuardState(phase, deployStartedAt, watchDeadline, all, revert, notices, interruption, result);
    }

    /** @param value the revert's entry @return a copy */
    public GuardState withRevert(final String value) {
        return new GuardState(phase, deployStartedAt, watchDeadline, backups, value, notices, interruption, result);
    }

    /** @param type the notification @param value {@link #STARTED} or {@link #SENT} @return a copy */
    public GuardState withNotice(final String type, final String value) {
        Map<String, String> all = new LinkedHashMap<>(notices);
        all.put(type, value);
        return new GuardState(phase, deployStartedAt, watchDeadline, backups, revert, all, interruption, result);
    }

    /** @param value the cause @return a copy */
    public GuardState withInterruption(final Interruption value) {
        return new GuardState(phase, deployStartedAt, watchDeadline, backups, revert, notices, value, result);
    }

    /** @param value the outcome's result @return a copy in DONE */
    public GuardState done(final GuardOutcome.Result value) {
        return new GuardState(Phase.DONE, deployStartedAt, watchDeadline, backups, revert, notices, interruption,
                value.name());
    }
}
