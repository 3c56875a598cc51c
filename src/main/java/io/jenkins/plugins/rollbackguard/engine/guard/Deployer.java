package io.jenkins.plugins.rollbackguard.engine.guard;

import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/** Performs the deploy itself: a command in the CLI, the pipeline body in Jenkins. */
@FunctionalInterface
public interface Deployer {
    /**
     * Deploys.
     *
     * @param point
     *         the recorded point, with its artifacts
     * @return null on success, else one line saying how it failed (masked)
     * @throws DeployNotStartedException
     *         when the deploy could not be started at all: nothing of it ran
     */
    String deploy(RollbackPoint point);
}
