package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Cause;
import hudson.model.Run;

import io.jenkins.plugins.rollbackguard.engine.guard.DeployRequest;
import io.jenkins.plugins.rollbackguard.engine.guard.Drill;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.RollbackPlanner;
import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.BuildIndex;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.jenkins.BuildFacts;
import io.jenkins.plugins.rollbackguard.jenkins.JobAliases;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Translates the Jenkins facts of one build into what the guard machine and the body need: the
 * {@link DeployRequest} (artifacts, commit, parameters, actor; for a reverting build the point it leaves and the
 * target's data version; for a leg of {@code rollbackGuardDrill} a drill point that reverts nothing) and the body's
 * variables. In a reverting build it copies the target's archived artifacts, read from the controller's artifact
 * store (the target build's {@code ArtifactManager}), into the workspace before the body starts, so a reverting build
 * on another agent with an empty workspace has them; with {@code adopt} it records what already runs. Everything else (preflight, the lease, baselines,
 * backups, the deploy's phases) is the machine's. Blocking: runs on the work pool.
 */
final class GuardPreparation {
    /** The variables a guarded body sees. */
    static final String ENVIRONMENT = "ROLLBACK_GUARD_ENVIRONMENT";
    static final String POINT = "ROLLBACK_GUARD_POINT";
    static final String IS_ROLLBACK = "ROLLBACK_GUARD_IS_ROLLBACK";
    static final String TARGET_BUILD = "ROLLBACK_GUARD_TARGET_BUILD";
    static final String TARGET_COMMIT = "ROLLBACK_GUARD_TARGET_COMMIT";
    static final String ARTIFACTS = "ROLLBACK_GUARD_ARTIFACTS";
    /**
     * Point attribute: the flow node of the {@code withRollbackGuard} step that recorded the point. A step restarted
     * before it could save the point id finds its point by build and node instead of recording a second one.
     */
    static final String NODE = "jenkins.node";

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
     * Returns the policy this build runs with. A reverting build waits for the environment's lease whatever the
     * policy says (the build it reverts scheduled it and lets go of the lease only as its own step ends); one whose
     * bad point is unknown must still never start another revert, so it freezes instead.
     *
     * @param policy
     *         the resolved policy
     * @return the policy to use
     */
    Policy effectivePolicy(final Policy policy) {
        if (target == null) {
            return policy;
        }
        Policy waiting = PolicyResolver.waiting(policy);
        if (Drill.ofKey(target.getKey()).isPresent()) {
            return waiting; // a drill's leg leaves no bad point behind: its own trip reverts as any deploy's does
        }
        return revertOf(new LedgerFacade().getLedger(), policy.environment()) == 0 ? PolicyResolver.freezing(waiting)
                : waiting;
    }

    /**
     * Builds the deploy request and the body's variables.
     *
     * @param guard
     *         the build's host
     * @param env
     *         the build's environment variables, or null
     * @param nodeId
     *         the flow node of the step, kept on the point ({@link #NODE})
     * @return the request and the variables (all but {@link #POINT}, known once the point is recorded)
     * @throws IOException
     *         if the target build is gone or an artifact cannot be copied
     * @throws InterruptedException
     *         if interrupted
     */
    Prepared prepare(final GuardHost guard, @CheckForNull final EnvVars env, final String nodeId)
            throws IOException, InterruptedException {
        Policy policy = guard.policy();
        if (!policy.backups().isEmpty() && !guard.hasNode()) {
            throw new AbortException("[rollback-guard] backups: the policy names %d backup(s), which run on an agent; "
                    .formatted(policy.backups().size()) + "put withRollbackGuard inside node { }");
        }
        Ledger ledger = guard.ledger();
        EnvironmentName environment = policy.environment();
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put(ENVIRONMENT, environment.value());
        variables.put(IS_ROLLBACK, Boolean.toString(target != null));
        String actor = facts.actor(run);
        Map<String, String> attributes = Map.of("jenkins.url", run.getUrl(), NODE, nodeId);
        DeployRequest request;
        if (target != null) {
            RollbackPoint targetPoint = ledger.point(environment, target.getPointId());
            Run<?, ?> targetRun = run.getParent().getBuildByNumber(target.getTargetBuild());
            if (targetRun == null) {
                throw new AbortException("[rollback-guard] the target build #%d of the rollback is gone"
                        .formatted(target.getTargetBuild()));
            }
            List<String> copied = guard.copyArtifacts(targetRun);
            variables.put(TARGET_BUILD, Integer.toString(target.getTargetBuild()));
            variables.put(TARGET_COMMIT, targetPoint.gitCommit() == null ? "" : targetPoint.gitCommit());
            variables.put(ARTIFACTS, String.join(",", copied));
            boolean auto = run.getCause(RollbackCause.class) != null && run.getCause(Cause.UserIdCause.class) == null;
            Optional<Drill.LegKey> leg = Drill.ofKey(target.getKey());
            if (leg.isPresent()) { // a leg of rollbackGuardDrill: a drill point, reverting nothing (engine Drill)
                Map<String, String> drill = new LinkedHashMap<>(attributes);
                drill.putAll(Drill.attributes(leg.get().leg(), leg.get().id()));
                return new Prepared(new DeployRequest(source(), targetPoint.artifacts(), targetPoint.gitCommit(),
                        facts.parameters(run), actor, null, 0, Drill.TRIGGER, targetPoint.dataVersion(), drill),
                        variables);
            }
            request = new DeployRequest(source(), targetPoint.artifacts(), targetPoint.gitCommit(), facts.parameters(run),
                    actor, null, revertOf(ledger, environment), auto ? RollbackPlanner.AUTO : "manual",
                    targetPoint.dataVersion(), attributes);
        }
        else {
            if (step.isAdopt()) {
                adopt(ledger, environment, actor);
            }
            request = new DeployRequest(source(), facts.artifacts(run, step.getArtifacts()),
                    facts.commit(run, env == null ? new EnvVars() : env), facts.parameters(run), actor, null, 0,
                    "manual", null, attributes);
        }
        return new Prepared(request, variables);
    }

    /**
     * Finds the point this step recorded, for a step that restarted before it saved the point id.
     *
     * @param ledger
     *         the ledger
     * @param index
     *         the ledger's index of builds
     * @param environment
     *         the environment
     * @param nodeId
     *         the flow node of the step
     * @return the newest point of this build and step in the environment, if any
     */
    Optional<RollbackPoint> recorded(final Ledger ledger, final BuildIndex index, final EnvironmentName environment,
                                     final String nodeId) {
        return index.pointsOf(run.getParent().getFullName(), run.getNumber()).stream()
                .filter(ref -> ref.environment().equals(environment))
                .map(ref -> ledger.point(ref.environment(), ref.id()))
                .filter(point -> nodeId.equals(point.attributes().get(NODE)))
                .max(Comparator.comparingLong(RollbackPoint::id));
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
        // the bad build's own job: the point left may be another job's deploy to the same environment
        String job = cause != null && cause.getBadJob() != null ? aliases.current(cause.getBadJob())
                : run.getParent().getFullName();
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
     * @param request
     *         what the machine records and deploys
     * @param variables
     *         the body's variables, but the point's id
     */
    record Prepared(DeployRequest request, Map<String, String> variables) {
    }
}
