package io.jenkins.plugins.rollbackguard.freestyle;

import hudson.model.InvisibleAction;

/**
 * Hands the point recorded by {@link RecordRollbackPointBuilder} to {@link RollbackGuardRecorder} of the same build.
 * Persisted with the build: only the environment's name and the point's id, never engine objects.
 */
public class FreestyleGuardAction extends InvisibleAction {
    private final String environment;
    private final long pointId;

    /**
     * Creates the action.
     *
     * @param environment
     *         the environment's name
     * @param pointId
     *         the recorded point's id
     */
    public FreestyleGuardAction(final String environment, final long pointId) {
        super();
        this.environment = environment;
        this.pointId = pointId;
    }

    /** @return the environment's name */
    public String getEnvironment() {
        return environment;
    }

    /** @return the recorded point's id */
    public long getPointId() {
        return pointId;
    }
}
