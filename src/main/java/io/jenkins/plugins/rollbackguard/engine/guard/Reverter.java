package io.jenkins.plugins.rollbackguard.engine.guard;

/**
 * Carries out a planned revert: in the CLI a guarded deploy of the target's stored artifact with its
 * deploy command; in Jenkins a reverting build of the same job.
 */
@FunctionalInterface
public interface Reverter {
    /**
     * Reverts and waits for the revert's verdict.
     *
     * @param plan
     *         the plan
     * @return the outcome of the reverting deploy
     */
    GuardOutcome revert(RevertPlan.Revert plan);
}
