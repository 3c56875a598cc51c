package io.jenkins.plugins.rollbackguard.engine.guard;

/**
 * Why a guarded deploy was interrupted, classified by its host before the machine reacts. A deliberate stop (a
 * person, a timeout, a newer build) is an abort: the point becomes ABORTED, nothing trips, the circuit stays as it
 * was and nothing is reverted. Any other cause leaves the deploy's effect unknown: the point becomes INTERRUPTED and
 * the environment is frozen with a message naming the cause.
 */
public enum Interruption {
    /** A person stopped the build or the command (Ctrl-C, the stop button). */
    USER("stopped by a person", true),
    /** An enclosing timeout expired. */
    TIMEOUT("a timeout expired", true),
    /** A newer build passed a milestone and superseded this one. */
    SUPERSEDED("superseded by a newer build", true),
    /** The agent that ran the deploy went away (removed, offline, channel closed). */
    AGENT_LOST("the agent that ran the deploy was lost", false),
    /** The host process stopped (a restart that could not resume the deploy). */
    HOST_STOPPED("the host stopped before the deploy's end was known", false),
    /** Anything else that stopped the deploy without a result. */
    OTHER("interrupted", false);

    private final String description;
    private final boolean deliberate;

    Interruption(final String description, final boolean deliberate) {
        this.description = description;
        this.deliberate = deliberate;
    }

    /** @return whether someone meant to stop: an abort, not a failed deploy */
    public boolean isDeliberate() {
        return deliberate;
    }

    /** @return a few words for the timeline and the ledger */
    public String describe() {
        return description;
    }
}
