package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.model.Cause;
import hudson.model.Run;

import io.jenkins.plugins.rollbackguard.engine.guard.DeployRequest;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.RollbackPlanner;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.jenkins.BuildFacts;
import io.jenkins.plugins.rollbackguard.jenkins.JobAliases;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * The engine's phases before the body, for one build: in a reverting build the target's artifacts are copied into
 * the workspace and the point records what it reverts; {@code adopt} records what already runs; then preflight,
 * record, baselines, backups on the agent, and DEPLOYING. Blocking: runs on the plugin's pool.
 */
final class GuardPreparation {
    /** The variables a guarded body sees. */
    static final String IS_ROLLBACK = "ROLLBACK_GUARD_IS_ROLLBACK";
    static final String TARGET_BUILD = "ROLLBACK_GUARD_TARGET_BUILD";
    static final String TARGET_COMMIT = "ROLLBACK_GUARD_TARGET_COMMIT";
    static final String ARTIFACTS = "ROLLBACK_GUARD_ARTIFACTS";

    private final WithRollbackGuardStep step;
    private final Run<?, ?> run;
    @CheckForNull
    private final RollbackTargetAction target;
    private final BuildFacts facts = new BuildFacts();
    private final JobAliases aliases = new JobAliases();

    GuardPreparation(final WithRollbackGuardStep step, final Run<?, ?> run) {
        this.step = step;
        this.run = run;
        this.target = run.getAction(RollbackTargetAction.class);
    }

    /**
     * Returns the policy this build runs with: a reverting build whose bad point is unknown must still never start
     * another revert, so it freezes instead.
     *
     * @param policy
     *         the resolved policy
     * @return the policy to use
     */
    Policy effectivePolicy(final Policy policy) {
        if (target != null && revertOf(new LedgerFacade().getLedger(), policy.environment()) == 0) {
            return PolicyResolver.freezing(policy);
        }
        return policy;
    }

    Prepared prepare(final GuardHost guard, @CheckForNull final EnvVars env, final String storeRoot,
                     final Consumer<RollbackPoint> onRecorded) throws IOException, InterruptedException {
        GuardSession session = guard.session();
        Ledger ledger = guard.ledger();
        EnvironmentName environment = guard.policy().environment();
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("ROLLBACK_GUARD_ENVIRONMENT", environment.value());
        variables.put(IS_ROLLBACK, Boolean.toString(target != null));
        DeployRequest request;
        String actor = facts.actor(run);
        if (target != null) {
            RollbackPoint targetPoint = ledger.point(environment, target.getPointId());
            Run<?, ?> targetRun = run.getParent().getBuildByNumber(target.getTargetBuild());
            if (targetRun == null) {
                throw new IOException("the target build #%d of the rollback is gone".formatted(target.getTargetBuild()));
            }
            List<String> copied = guard.copyArtifacts(targetRun);
            variables.put(TARGET_BUILD, Integer.toString(target.getTargetBuild()));
            variables.put(TARGET_COMMIT, targetPoint.gitCommit() == null ? "" : targetPoint.gitCommit());
            variables.put(ARTIFACTS, String.join(",", copied));
            boolean auto = run.getCause(RollbackCause.class) != null && run.getCause(Cause.UserIdCause.class) == null;
            request = new DeployRequest(source(), targetPoint.artifacts(), targetPoint.gitCommit(), facts.parameters(run),
                    actor, null, revertOf(ledger, environment), auto ? RollbackPlanner.AUTO : "manual",
                    targetPoint.dataVersion(), Map.of("jenkins.url", run.getUrl()));
        }
        else {
            if (step.isAdopt()) {
                adopt(ledger, environment, actor);
            }
            request = new DeployRequest(source(), facts.artifacts(run, step.getArtifacts()),
                    facts.commit(run, env == null ? new EnvVars() : env), facts.parameters(run), actor, null, 0,
                    "manual", null, Map.of("jenkins.url", run.getUrl()));
        }
        RollbackPoint point = session.preflightAndRecord(request);
        onRecorded.accept(point);
        variables.put("ROLLBACK_GUARD_POINT", Long.toString(point.id()));
        Map<String, Baseline> baselines = session.sampleBaselines(request);
        point = session.rememberBaselines(point, baselines);
        Optional<GuardOutcome> aborted = guard.takeBackupsOnAgent(point, storeRoot);
        if (aborted.isPresent()) {
            return new Prepared(aborted.get(), baselines, variables);
        }
        session.deploying(point, actor);
        return new Prepared(null, baselines, variables);
    }

    private PointSource source() {
        return PointSource.jenkins(run.getParent().getFullName(), run.getNumber());
    }

    /** Finds the point this reverting build leaves: the bad build's, else the newest point after the target. */
    private long revertOf(final Ledger ledger, final EnvironmentName environment) {
        if (target == null || !ledger.environments().contains(environment)) {
            return 0;
        }
        RollbackCause cause = run.getCause(RollbackCause.class);
        String job = run.getParent().getFullName();
        for (RollbackPoint point : ledger.history(environment, 0, Math.min(500, ledger.size(environment)))) {
            boolean sameJob = point.source().job() != null && aliases.sameJob(point.source().job(), job);
            if (cause != null && cause.getBadBuild() > 0) {
                if (sameJob && point.source().build() == cause.getBadBuild()) {
                    return point.id();
                }
            }
            else if (point.id() != target.getPointId() && !point.status().isInFlight()) {
                return point.id();
            }
        }
        return 0;
    }

    /** Records the previous successful build as ADOPTED when the environment has no point yet. */
    private void adopt(final Ledger ledger, final EnvironmentName environment, final String actor) throws IOException {
        if (ledger.environments().contains(environment) && ledger.size(environment) > 0) {
            return;
        }
        Run<?, ?> previous = run.getPreviousSuccessfulBuild();
        if (previous == null) {
            return;
        }
        List<ArtifactRef> artifacts = facts.artifacts(previous, step.getArtifacts());
        ledger.record(RollbackPoint.builder(environment, PointSource.jenkins(previous.getParent().getFullName(),
                        previous.getNumber())).artifacts(artifacts).gitCommit(facts.commit(previous, new EnvVars()))
                .adopted().attribute(RollbackPlanner.TRIGGER, "adopt"), actor, "adopted: what already runs");
    }

    /**
     * What the preparation produced.
     *
     * @param outcome
     *         an outcome when the deploy must not run (a backup failed), else null
     * @param baselines
     *         the sampled baselines
     * @param environment
     *         the variables for the body
     */
    record Prepared(@CheckForNull GuardOutcome outcome, Map<String, Baseline> baselines,
                    Map<String, String> environment) {
    }
}
