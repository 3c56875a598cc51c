package io.jenkins.plugins.rollbackguard.freestyle;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.model.InvisibleAction;

/**
 * Hands the point recorded by {@link RecordRollbackPointBuilder} to {@link RollbackGuardRecorder} of the same build.
 * Persisted with the build: only the environment's name and the point's id, never engine objects.
 *
 * <p>The live guard machine of the build rides along in a transient field, not in a static map keyed by the build's
 * id: it lives exactly as long as the build object that runs it (a rename of the job during the build, which changes
 * the id, cannot orphan it; a build that never reaches a clean-up leaks nothing beyond itself), and a build loaded
 * from disk has none, which is the truth: its machine ended with the Jenkins that ran it. The recorder, or
 * {@link UnwatchedDeploys} when the build ends without it, takes it off.</p>
 */
public class FreestyleGuardAction extends InvisibleAction {
    private final String environment;
    private final long pointId;
    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
            justification = "a loaded build has no live machine: null is the restored value")
    @CheckForNull
    private transient FreestyleGuard guard; // guarded by this

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

    FreestyleGuardAction(final FreestyleGuard guard, final long pointId) {
        this(guard.environment(), pointId);
        this.guard = guard;
    }

    /** @return the environment's name */
    public String getEnvironment() {
        return environment;
    }

    /** @return the recorded point's id */
    public long getPointId() {
        return pointId;
    }

    /**
     * Takes the live guard off the build, so that only one caller reports the deploy's end.
     *
     * @return the guard whose deploy runs, or null (it was taken, or the build was loaded from disk)
     */
    @CheckForNull
    synchronized FreestyleGuard take() {
        FreestyleGuard live = guard;
        guard = null;
        return live;
    }
}
