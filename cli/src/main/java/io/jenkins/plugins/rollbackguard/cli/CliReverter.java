package io.jenkins.plugins.rollbackguard.cli;

import io.jenkins.plugins.rollbackguard.engine.guard.DeployRequest;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.engine.guard.Reverter;
import io.jenkins.plugins.rollbackguard.engine.guard.RevertPlan;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * Reverts by a guarded deploy of the target's stored artifact with the target's own deploy command,
 * watched with the probes of the point being left. That deploy is itself a revert, so if it fails it
 * only freezes the environment: it never starts another revert.
 */
final class CliReverter implements Reverter {
    private final GuardServices services;
    private final Timeline timeline;
    private final String trigger;
    private final String actor;

    CliReverter(final GuardServices services, final Timeline timeline, final String trigger, final String actor) {
        this.services = services;
        this.timeline = timeline;
        this.trigger = trigger;
        this.actor = actor;
    }

    /**
     * Reads the policy a point was deployed with.
     *
     * @param point
     *         the point
     * @param fallback
     *         the policy to use when the point has none recorded
     * @return the policy
     */
    static Policy policyOf(final RollbackPoint point, final Policy fallback) {
        String json = point.attributes().get(GuardSession.POLICY);
        return json == null ? fallback : new PolicyReader().parse(point.label() + " policy", json);
    }

    @Override
    public GuardOutcome revert(final RevertPlan.Revert plan) {
        RollbackPoint target = plan.target();
        RollbackPoint leaving = plan.leaving();
        Policy policy = policyOf(leaving, policyOf(target, null));
        DeployRequest request = new DeployRequest(PointSource.cli("revert-" + leaving.id() + "-to-" + target.id()),
                target.artifacts(), target.gitCommit(), target.parameters(), actor, null, leaving.id(), trigger,
                target.dataVersion(), CommandDeployer.recorded(target));
        CommandDeployer deployer = CommandDeployer.of(CommandDeployer.recorded(target), services, policy, timeline);
        Reverter never = nested -> {
            throw new IllegalStateException("a revert never starts another revert");
        };
        return new GuardSession(services, policy, timeline).run(request, deployer, never, true);
    }

    /**
     * Resumes a revert this process's predecessor started: its point goes on from the state the ledger keeps (a
     * revert whose deploy command had started is in doubt and leaves the environment frozen).
     */
    @Override
    public java.util.Optional<GuardOutcome> resume(final RollbackPoint leaving, final RollbackPoint revertPoint) {
        if (revertPoint == null) {
            return java.util.Optional.empty();
        }
        Policy policy = policyOf(leaving, policyOf(revertPoint, null));
        CommandDeployer deployer = CommandDeployer.of(CommandDeployer.recorded(revertPoint), services, policy, timeline);
        Reverter never = nested -> {
            throw new IllegalStateException("a revert never starts another revert");
        };
        return java.util.Optional.of(new GuardSession(services, policy, timeline)
                .resume(revertPoint.environment(), revertPoint.id(), deployer, never, true));
    }
}
