package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The circuit breaker of an environment. CLOSED lets deploys through; OPEN freezes the environment
 * until someone resets it with a reason.
 *
 * @param state
 *         CLOSED or OPEN
 * @param reason
 *         why it was opened or last reset
 * @param since
 *         when it entered this state, or null for a new environment
 * @param by
 *         who or what changed it
 * @param pointId
 *         the point that tripped it, or 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Circuit(State state, String reason, Instant since, String by, long pointId) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Circuit states. */
    public enum State {
        /** Deploys may proceed. */
        CLOSED,
        /** The environment is frozen. */
        OPEN
    }

    /** @return the circuit of an environment that never tripped */
    public static Circuit initial() {
        return new Circuit(State.CLOSED, null, null, null, 0);
    }

    /** @return whether the environment is frozen */
    @JsonIgnore
    public boolean isOpen() {
        return state == State.OPEN;
    }
}
