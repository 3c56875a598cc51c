package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;

/**
 * What is being deployed and by whom.
 *
 * @param source
 *         the build or run
 * @param artifacts
 *         the artifacts, already stored or archived
 * @param gitCommit
 *         the commit, or null
 * @param parameters
 *         non-secret parameters
 * @param actor
 *         who deploys
 * @param forceReason
 *         a reason to deploy past an open circuit, or null
 * @param revertOf
 *         the point this deploy reverts, or 0
 * @param trigger
 *         manual, auto or drill
 * @param dataVersion
 *         the data version for a revert (the target's), or null to evaluate the policy's
 * @param attributes
 *         further values kept on the point (the deploy command, for instance)
 */
public record DeployRequest(PointSource source, List<ArtifactRef> artifacts, String gitCommit,
                            Map<String, String> parameters, String actor, String forceReason, long revertOf,
                            String trigger, String dataVersion, Map<String, String> attributes) {
    /** Copies the collections. */
    public DeployRequest {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        trigger = trigger == null ? "manual" : trigger;
    }

    /**
     * @param value the artifacts, stored
     * @return a copy with them
     */
    public DeployRequest withArtifacts(final List<ArtifactRef> value) {
        return new DeployRequest(source, value, gitCommit, parameters, actor, forceReason, revertOf, trigger, dataVersion,
                attributes);
    }

    /** @return whether this deploy is a revert */
    public boolean isRevert() {
        return revertOf > 0;
    }
}
