package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of an environment's audit trail: who did what, when and why.
 *
 * @param seq
 *         the event's sequence number in its environment
 * @param at
 *         when it happened
 * @param environment
 *         the environment
 * @param type
 *         what happened
 * @param pointId
 *         the point concerned, or 0
 * @param actor
 *         who or what did it (a user, "guard", "ledger")
 * @param reason
 *         why, as given
 * @param from
 *         the status before (for a status change), or null
 * @param to
 *         the status after (for a status change), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerEvent(long seq, Instant at, EnvironmentName environment, Type type, long pointId, String actor,
                          String reason, PointStatus from, PointStatus to) {
    /** Event types. */
    public enum Type {
        /** A point was recorded. */
        POINT_RECORDED,
        /** A point moved in its lifecycle. */
        STATUS_CHANGED,
        /** A point got backups, artifacts or other values. */
        POINT_UPDATED,
        /** The circuit opened: the environment is frozen. */
        CIRCUIT_OPENED,
        /** The circuit was reset. */
        CIRCUIT_RESET,
        /** A timeline note: a phase, a hook's output, a notification. */
        NOTE,
        /** A run took the environment's lease (the reason says whether it took it over from a dead owner). */
        LEASE_TAKEN,
        /** The holder re-confirmed or renewed its lease; the epoch stays. */
        LEASE_RENEWED,
        /** The holder released its lease. */
        LEASE_RELEASED,
        /** Someone broke the lease of another run, with a reason. */
        LEASE_BROKEN,
        /**
         * A person decided, with a reason: marked a point good or bad, resumed an interrupted watch, or allowed a
         * rollback across a data-version change (format 4: an older reader refuses it and says to upgrade).
         */
        DECISION
    }

    /** @return a one-line description */
    public String describe() {
        StringBuilder line = new StringBuilder().append(at).append(' ').append(type);
        if (pointId > 0) {
            line.append(" #").append(pointId);
        }
        if (from != null || to != null) {
            line.append(' ').append(from).append(" -> ").append(to);
        }
        if (actor != null) {
            line.append(" by ").append(actor);
        }
        if (reason != null && !reason.isBlank()) {
            line.append(": ").append(reason);
        }
        return line.toString();
    }
}
