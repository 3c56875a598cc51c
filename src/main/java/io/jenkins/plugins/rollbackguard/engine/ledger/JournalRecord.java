package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of an environment's journal: an event plus the state it leaves (the whole point after the
 * change, or the circuit). Replaying the lines after a snapshot rebuilds the environment.
 *
 * @param v
 *         the format version of this line
 * @param seq
 *         the event's sequence number in its environment
 * @param at
 *         when it happened
 * @param type
 *         the event type
 * @param pointId
 *         the point concerned, or 0
 * @param actor
 *         who did it
 * @param reason
 *         why
 * @param from
 *         the status before, for status changes
 * @param to
 *         the status after, for status changes
 * @param point
 *         the point after the change, for point events
 * @param circuit
 *         the circuit after the change, for circuit events
 * @param lease
 *         the lease after the change, for lease events (format 3)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JournalRecord(int v, long seq, Instant at, LedgerEvent.Type type, long pointId, String actor, String reason,
                     PointStatus from, PointStatus to, RollbackPoint point, Circuit circuit, Lease lease) {
    JournalRecord(final int v, final long seq, final Instant at, final LedgerEvent.Type type, final long pointId,
                  final String actor, final String reason, final PointStatus from, final PointStatus to,
                  final RollbackPoint point, final Circuit circuit) {
        this(v, seq, at, type, pointId, actor, reason, from, to, point, circuit, null);
    }

    LedgerEvent event(final EnvironmentName environment) {
        return new LedgerEvent(seq, at, environment, type, pointId, actor, reason, from, to);
    }
}
