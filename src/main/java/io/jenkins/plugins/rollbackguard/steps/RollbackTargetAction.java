package io.jenkins.plugins.rollbackguard.steps;

import java.util.List;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.model.Action;
import hudson.model.EnvironmentContributingAction;
import hudson.model.InvisibleAction;
import hudson.model.Queue;
import hudson.model.Run;

/**
 * Marks a reverting build with what it restores: the environment, the rollback point in the ledger and the good
 * build whose artifacts and revision are deployed again. Rollback Guard adds it when it schedules the build and
 * reads it back while the build runs. It also sets the reverting build's variables for every step of the build. As a {@link Queue.QueueAction} it keeps the reverting build out of the queue's
 * folding: without it, a revert with the same (or no) parameters as a queued ordinary build would be merged into
 * that build, its cause and this action dropped, and the new code deployed in place of the old.
 *
 * <p>Its {@linkplain #getKey() key} names the request that scheduled it, so that a requester that restarted before it
 * could save the queue item id (a guard machine, {@code rollbackTo}) finds its reverting build again in the queue or
 * among the job's builds instead of scheduling a second one or waiting on an id it never kept.</p>
 */
public class RollbackTargetAction extends InvisibleAction implements Queue.QueueAction, EnvironmentContributingAction {
    private final String environment;
    private final long pointId;
    private final int targetBuild;
    @CheckForNull
    private final String key;

    /**
     * Creates the action.
     *
     * @param environment
     *         the name of the environment that is rolled back; a ledger environment name, kept as text so that
     *         the build record does not depend on engine classes
     * @param pointId
     *         the id of the rollback point in that environment's ledger
     * @param targetBuild
     *         the number of the good build of the same job that is deployed again
     */
    public RollbackTargetAction(final String environment, final long pointId, final int targetBuild) {
        this(environment, pointId, targetBuild, null);
    }

    /**
     * Creates the action of a request that must find its build again after a restart.
     *
     * @param environment
     *         the name of the environment that is rolled back
     * @param pointId
     *         the id of the rollback point in that environment's ledger
     * @param targetBuild
     *         the number of the good build of the same job that is deployed again
     * @param key
     *         names the request ({@link RevertingBuilds#guardKey}, or a {@code rollbackTo} step's own), or null
     */
    public RollbackTargetAction(final String environment, final long pointId, final int targetBuild,
                                @CheckForNull final String key) {
        super();
        this.environment = environment;
        this.pointId = pointId;
        this.targetBuild = targetBuild;
        this.key = key;
    }

    /** @return the name of the environment that is rolled back */
    public String getEnvironment() {
        return environment;
    }

    /** @return the id of the rollback point in the environment's ledger */
    public long getPointId() {
        return pointId;
    }

    /** @return the number of the good build that is deployed again */
    public int getTargetBuild() {
        return targetBuild;
    }

    /** @return the key of the request that scheduled the build, or null (a revert asked on the build page) */
    @CheckForNull
    public String getKey() {
        return key;
    }

    /**
     * Sets {@code ROLLBACK_GUARD_IS_ROLLBACK=true} and {@code ROLLBACK_GUARD_TARGET_BUILD} for the whole reverting
     * build, not only inside the guarded block, so that a Declarative {@code when} can skip the stages a revert does not
     * need (checkout, build, tests). Jenkins asks every time it computes the build's environment: two puts, no I/O.
     */
    @Override
    public void buildEnvironment(@NonNull final Run<?, ?> run, @NonNull final EnvVars env) {
        env.put(GuardPreparation.IS_ROLLBACK, "true");
        env.put(GuardPreparation.TARGET_BUILD, Integer.toString(targetBuild));
    }

    /** A revert is never merged with another queued build, nor another build with a queued revert. */
    @Override
    public boolean shouldSchedule(final List<Action> actions) {
        return true;
    }
}
