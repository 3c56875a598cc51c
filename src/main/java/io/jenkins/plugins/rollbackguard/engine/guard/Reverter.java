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

    /**
     * Finds what became of a revert that a guard machine started before its host restarted, when the ledger holds
     * no decided revert point for it.
     *
     * @param leaving
     *         the bad point whose revert was started
     * @param revertPoint
     *         the revert's point if it was recorded (still in flight or interrupted), else null
     * @return the revert's outcome (REVERTING when it goes on elsewhere), or empty when nothing is known: the revert
     *         is then in doubt and the environment stays frozen
     */
    default java.util.Optional<GuardOutcome> resume(final io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint leaving,
                                                   final io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint revertPoint) {
        return java.util.Optional.empty();
    }
}
