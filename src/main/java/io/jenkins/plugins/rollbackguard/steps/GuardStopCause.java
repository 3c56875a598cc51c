package io.jenkins.plugins.rollbackguard.steps;

import java.util.Objects;

import jenkins.model.CauseOfInterruption;

/**
 * Why Rollback Guard stopped a body or ended a step as aborted when the original causes are not at hand: a body
 * resumed from an older save whose end the ledger already has, or an abort decided before a restart (the causes of
 * an interruption live in memory, not in the ledger). Shown on the build page like any cause of interruption.
 */
public final class GuardStopCause extends CauseOfInterruption {
    private static final long serialVersionUID = 1L; // first release

    private final String reason;

    /**
     * Creates the cause.
     *
     * @param reason
     *         one line saying why
     */
    public GuardStopCause(final String reason) {
        super();
        this.reason = reason == null ? "" : reason;
    }

    @Override
    public String getShortDescription() {
        return "Rollback Guard: " + reason;
    }

    /** Equal causes are shown once ({@code InterruptedBuildAction} keeps a set). */
    @Override
    public boolean equals(final Object o) {
        return o instanceof GuardStopCause other && reason.equals(other.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason);
    }
}
