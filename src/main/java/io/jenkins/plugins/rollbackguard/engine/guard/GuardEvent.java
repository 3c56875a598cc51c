package io.jenkins.plugins.rollbackguard.engine.guard;

import java.time.Instant;

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
 */
public record GuardEvent(Type type, String environment, long pointId, String text, Instant at) {
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
