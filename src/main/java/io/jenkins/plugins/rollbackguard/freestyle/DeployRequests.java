package io.jenkins.plugins.rollbackguard.freestyle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import hudson.EnvVars;
import hudson.model.Cause;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.Run;

import io.jenkins.plugins.rollbackguard.engine.guard.DeployRequest;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.steps.RollbackCause;
import io.jenkins.plugins.rollbackguard.steps.RollbackTargetAction;
import io.jenkins.plugins.rollbackguard.ui.LedgerQueries;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Translates a freestyle build into the engine's {@link DeployRequest}: its job and number, its git commit
 * ({@code GIT_COMMIT}), its non-secret parameters, who started it, and for a reverting build the point it reverts
 * and the target's data version.
 */
class DeployRequests {
    private final JenkinsFacade jenkins;
    private final Ledger ledger;

    DeployRequests(final JenkinsFacade jenkins, final Ledger ledger) {
        this.jenkins = jenkins;
        this.ledger = ledger;
    }

    DeployRequest create(final Run<?, ?> run, final EnvVars env) {
        PointSource source = PointSource.jenkins(run.getParent().getFullName(), run.getNumber());
        Optional<RollbackPoint> reverted = reverted(run);
        String dataVersion = Optional.ofNullable(run.getAction(RollbackTargetAction.class))
                .flatMap(target -> reverted.map(bad -> ledger.point(bad.environment(), target.getPointId())))
                .map(RollbackPoint::dataVersion).orElse(null);
        return new DeployRequest(source, List.of(), env.get("GIT_COMMIT"), parameters(run), actor(run), null,
                reverted.map(RollbackPoint::id).orElse(0L), reverted.isPresent() ? "auto" : "manual", dataVersion,
                Map.of());
    }

    /** The point of the bad build a reverting build reverts, found by the cause's job and build number. */
    private Optional<RollbackPoint> reverted(final Run<?, ?> run) {
        RollbackCause cause = run.getCause(RollbackCause.class);
        if (cause == null) {
            return Optional.empty();
        }
        return new LedgerQueries(new LedgerFacade()).pointOf(cause.getBadJob(), cause.getBadBuild());
    }

    private static Map<String, String> parameters(final Run<?, ?> run) {
        Map<String, String> values = new LinkedHashMap<>();
        ParametersAction parameters = run.getAction(ParametersAction.class);
        if (parameters != null) {
            for (ParameterValue value : parameters.getParameters()) {
                if (!value.isSensitive() && value.getValue() != null) {
                    values.put(value.getName(), String.valueOf(value.getValue()));
                }
            }
        }
        return values;
    }

    private String actor(final Run<?, ?> run) {
        Cause.UserIdCause user = run.getCause(Cause.UserIdCause.class);
        if (user != null && user.getUserId() != null) {
            return user.getUserId();
        }
        return jenkins.getCurrentUserId();
    }
}
