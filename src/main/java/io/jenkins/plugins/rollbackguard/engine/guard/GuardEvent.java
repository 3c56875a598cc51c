package io.jenkins.plugins.rollbackguard.engine.guard;

import java.time.Instant;

import io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation;
import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;

/**
 * Something the guard tells webhooks about.
 *
 * @param type
 *         what happened
 * @param environment
 *         the environment
 * @param pointId
 *         the point concerned
 * @param text
 *         one human line (masked)
 * @param at
 *         when
 * @param incident
 *         the figures of the incident the point opened or ended, as the ledger computed them
 *         ({@code Ledger.incident}), or null when the point had no part in one
 * @param explanation
 *         why the point's verdict is what it is, as the ledger keeps it ({@code Ledger.explanation}), or null when it
 *         has none (not judged yet, or marked by a person)
 */
public record GuardEvent(Type type, String environment, long pointId, String text, Instant at, Incident.Report incident,
                         VerdictExplanation explanation) {
    /**
     * An event about a point without a verdict explanation.
     *
     * @param type
     *         what happened
     * @param environment
     *         the environment
     * @param pointId
     *         the point concerned
     * @param text
     *         one human line (masked)
     * @param at
     *         when
     * @param incident
     *         the incident's figures, or null
     */
    public GuardEvent(final Type type, final String environment, final long pointId, final String text, final Instant at,
                      final Incident.Report incident) {
        this(type, environment, pointId, text, at, incident, null);
    }

    /**
     * An event about a point without incident figures.
     *
     * @param type
     *         what happened
     * @param environment
     *         the environment
     * @param pointId
     *         the point concerned
     * @param text
     *         one human line (masked)
     * @param at
     *         when
     */
    public GuardEvent(final Type type, final String environment, final long pointId, final String text, final Instant at) {
        this(type, environment, pointId, text, at, null, null);
    }

    /** Event types. */
    public enum Type {
        /** A deploy was judged bad. */
        TRIP,
        /** The environment was frozen (circuit opened). */
        FREEZE,
        /** A revert started. */
        REVERT_STARTED,
        /** A revert ended (its text says how). */
        REVERT_RESULT,
        /** The guard will not revert on its own: a person must decide. */
        MANUAL_DECISION
    }
}
