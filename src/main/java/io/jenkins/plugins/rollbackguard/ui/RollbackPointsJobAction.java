package io.jenkins.plugins.rollbackguard.ui;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.interceptor.RequirePOST;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;

import io.jenkins.plugins.rollbackguard.config.RollbackPermissions;
import io.jenkins.plugins.rollbackguard.engine.guard.Decisions;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardRefusedException;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.steps.RevertingBuilds;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * The job page's "Rollback points": for each environment the job deployed to, the circuit, the lease (who deploys it
 * now: owner, since, epoch) and the job's points with status badges, a "Reset circuit" form, a "Break lease" form, and
 * the decisions the guard leaves to a person: "Mark good/bad" on a point it could not decide, "Roll back across the
 * data version" (each a POST with a crumb, the Rollback permission on the job and a reason required; the ledger records
 * who did it and why). Created by {@link RollbackPointsJobActionFactory}.
 */
public class RollbackPointsJobAction implements Action {
    /** How many points per environment the page lists. */
    static final int POINTS_SHOWN = 50;

    private final Job<?, ?> job;
    private final JenkinsFacade jenkins;
    private final LedgerQueries queries;

    /**
     * Creates the action.
     *
     * @param job
     *         the job
     */
    public RollbackPointsJobAction(final Job<?, ?> job) {
        this(job, new JenkinsFacade(), new LedgerQueries());
    }

    RollbackPointsJobAction(final Job<?, ?> job, final JenkinsFacade jenkins, final LedgerQueries queries) {
        this.job = job;
        this.jenkins = jenkins;
        this.queries = queries;
    }

    /** @return the job */
    public Job<?, ?> getJob() {
        return job;
    }

    @Override
    public String getIconFileName() {
        return deployedAnywhere() ? "symbol-build-history" : null; // no side-panel link on jobs that never deployed
    }

    @Override
    public String getDisplayName() {
        return Messages.RollbackPointsJobAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "rollback-points";
    }

    /** @return the environments this job deployed to, with the job's newest points */
    public List<EnvironmentView> getEnvironments() {
        String name = job.getFullName();
        return queries.environmentsOf(name).stream()
                .map(environment -> {
                    Optional<Lease> lease = queries.ledger().lease(environment);
                    return new EnvironmentView(environment.value(), queries.ledger().circuit(environment),
                            lease.orElse(null), lease.map(held -> visibleOwner(held.owner())).orElse(null), null, null,
                            queries.newestOfJob(name, environment, POINTS_SHOWN), List.of());
                })
                .filter(view -> !view.getPoints().isEmpty())
                .toList();
    }

    /** @return whether the current user may reset circuits here: the Rollback permission on the job */
    public boolean isResetAllowed() {
        return jenkins.hasPermission(RollbackPermissions.ROLLBACK, job);
    }

    /**
     * Closes the circuit of an environment the job deployed to, so that deploys may proceed again.
     *
     * @param environment
     *         the environment's name
     * @param reason
     *         why; required
     * @return a redirect back to this page
     */
    @RequirePOST
    public HttpResponse doResetCircuit(@QueryParameter final String environment,
            @QueryParameter final String reason) {
        if (!isResetAllowed()) {
            return HttpResponses.forbidden();
        }
        if (reason == null || reason.isBlank()) {
            return HttpResponses.errorWithoutStack(400, Messages.RollbackPointsJobAction_ReasonRequired());
        }
        if (!EnvironmentName.isValid(environment) || !deployedTo(EnvironmentName.of(environment))) {
            return HttpResponses.errorWithoutStack(404, Messages.RollbackPointsJobAction_UnknownEnvironment());
        }
        queries.ledger().resetCircuit(EnvironmentName.of(environment), reason.trim(), jenkins.getCurrentUserId());
        return HttpResponses.redirectTo(".");
    }

    /**
     * Breaks the lease of an environment the job deployed to: for a holder that no liveness can declare dead (a
     * command-line run on another host that is gone). The ledger records the reason, the current user and the holder.
     *
     * @param environment
     *         the environment's name
     * @param reason
     *         why it is safe to free it; required
     * @return a redirect back to this page
     */
    @RequirePOST
    public HttpResponse doBreakLease(@QueryParameter final String environment,
            @QueryParameter final String reason) {
        if (!isResetAllowed()) {
            return HttpResponses.forbidden();
        }
        if (reason == null || reason.isBlank()) {
            return HttpResponses.errorWithoutStack(400, Messages.RollbackPointsJobAction_LeaseReasonRequired());
        }
        if (!EnvironmentName.isValid(environment) || !deployedTo(EnvironmentName.of(environment))) {
            return HttpResponses.errorWithoutStack(404, Messages.RollbackPointsJobAction_UnknownEnvironment());
        }
        Optional<Lease> broken = queries.ledger().breakLease(EnvironmentName.of(environment),
                jenkins.getCurrentUserId(), reason.trim());
        if (broken.isEmpty()) {
            return HttpResponses.errorWithoutStack(409, Messages.RollbackPointsJobAction_LeaseFree(environment));
        }
        return HttpResponses.redirectTo(".");
    }

    /**
     * Marks a point of this job good (a rollback target again) or bad (never returned to): for a point the guard could
     * not decide (INCONCLUSIVE, INTERRUPTED) or whose revert failed. The ledger records the current user and the reason.
     *
     * @param environment
     *         the environment's name
     * @param point
     *         the point's id
     * @param verdict
     *         {@code good} or {@code bad}
     * @param reason
     *         why; required
     * @return a redirect back to this page
     */
    @RequirePOST
    public HttpResponse doMark(@QueryParameter final String environment, @QueryParameter final long point,
            @QueryParameter final String verdict, @QueryParameter final String reason) {
        if (!isResetAllowed()) {
            return HttpResponses.forbidden();
        }
        if (reason == null || reason.isBlank()) {
            return HttpResponses.errorWithoutStack(400, Messages.RollbackPointsJobAction_DecisionReasonRequired());
        }
        if (!"good".equals(verdict) && !"bad".equals(verdict)) {
            return HttpResponses.errorWithoutStack(400, Messages.RollbackPointsJobAction_VerdictRequired());
        }
        Optional<RollbackPoint> marked = pointOfThisJob(environment, point);
        if (marked.isEmpty()) {
            return HttpResponses.errorWithoutStack(404, Messages.RollbackPointsJobAction_UnknownPoint());
        }
        try {
            decisions().mark(marked.get().environment(), point, "good".equals(verdict), jenkins.getCurrentUserId(),
                    reason.trim());
        }
        catch (GuardRefusedException e) {
            return HttpResponses.errorWithoutStack(409, e.getMessage());
        }
        return HttpResponses.redirectTo(".");
    }

    /**
     * Rolls the environment back to a point of this job across a data-version change, on purpose: the decision (the
     * current user, the reason, the data-loss window) is recorded first, then a reverting build is scheduled, whose
     * planner honours it. {@code restoreData} is refused: a reverting build deploys the code and restores no backup
     * (the command line's {@code rollback --restore-data} does), so the decision must not say the data was restored.
     *
     * @param environment
     *         the environment's name
     * @param point
     *         the id of the point to return to
     * @param restoreData
     *         whether to restore the point's verified backups first: refused here (see above)
     * @param reason
     *         why crossing the data-version change is safe; required
     * @return a redirect back to this page, where the reverting build appears
     */
    @RequirePOST
    public HttpResponse doRollbackAcrossDataVersion(@QueryParameter final String environment,
            @QueryParameter final long point, @QueryParameter final boolean restoreData,
            @QueryParameter final String reason) {
        if (!isResetAllowed()) {
            return HttpResponses.forbidden();
        }
        if (reason == null || reason.isBlank()) {
            return HttpResponses.errorWithoutStack(400, Messages.RollbackPointsJobAction_DataReasonRequired());
        }
        Optional<RollbackPoint> target = pointOfThisJob(environment, point);
        if (target.isEmpty()) {
            return HttpResponses.errorWithoutStack(404, Messages.RollbackPointsJobAction_UnknownPoint());
        }
        EnvironmentName env = target.get().environment();
        if (restoreData) { // a reverting build deploys the code only: recording "backups are restored" would be untrue
            int verified = (int) target.get().backups().stream().filter(b -> b.verifiedAt() != null).count();
            return HttpResponses.errorWithoutStack(409, RevertingBuilds.restoreNotDone(verified, env.value(), point));
        }
        Optional<RollbackPoint> leaving = queries.current(env);
        Optional<Run<?, ?>> targetBuild = jenkins.getBuild(target.get().source().job(), target.get().source().build());
        if (leaving.isEmpty() || leaving.get().id() == point || targetBuild.isEmpty()) {
            return HttpResponses.errorWithoutStack(409, Messages.RollbackPointsJobAction_NothingToRollBack(point));
        }
        String user = jenkins.getCurrentUserId();
        String window;
        try {
            window = decisions().allowAcrossDataVersion(env, leaving.get().id(), point, restoreData, user, reason.trim());
        }
        catch (GuardRefusedException e) {
            return HttpResponses.errorWithoutStack(409, e.getMessage());
        }
        PointSource left = leaving.get().source();
        Run<?, ?> bad = left.kind() == PointSource.Kind.JENKINS ? jenkins.getBuild(left.job(), left.build()).orElse(null)
                : null;
        Optional<Queue.Item> item = RevertingBuilds.scheduleOnce(targetBuild.get(), bad, env.value(), point,
                reason.trim() + "; " + window, user);
        if (item.isEmpty()) {
            return HttpResponses.errorWithoutStack(503, Messages.RollbackPointsJobAction_NotScheduled());
        }
        return HttpResponses.redirectTo(".");
    }

    /** The decisions taken on this page go through the engine, as the command line's do. */
    private Decisions decisions() {
        return new Decisions(queries.ledger(), Instant::now);
    }

    /** Only points this job deployed may be decided on from its page. */
    private Optional<RollbackPoint> pointOfThisJob(final String environment, final long point) {
        if (!EnvironmentName.isValid(environment) || !deployedTo(EnvironmentName.of(environment))) {
            return Optional.empty();
        }
        return queries.point(EnvironmentName.of(environment), point)
                .filter(found -> found.source().kind() == PointSource.Kind.JENKINS
                        && job.getFullName().equals(found.source().job()));
    }

    /**
     * The holder of a lease as the current user may see it: a build of a job the user cannot read is not named.
     *
     * @param owner
     *         the recorded owner
     * @return the owner, or a sentence that another job's build holds it
     */
    String visibleOwner(final String owner) {
        if (owner == null || !owner.startsWith(LeaseOwners.JENKINS)) {
            return owner;
        }
        String build = owner.substring(LeaseOwners.JENKINS.length());
        int hash = build.lastIndexOf('#');
        String ownerJob = hash < 0 ? build : build.substring(0, hash);
        return ownerJob.equals(job.getFullName()) || jenkins.canRead(ownerJob) ? owner
                : Messages.RollbackPointsJobAction_HiddenOwner();
    }

    /** Asked for every job page's side panel: answered from the in-memory index, no ledger file is read. */
    private boolean deployedAnywhere() {
        return !queries.environmentsOf(job.getFullName()).isEmpty();
    }

    /** Only environments this job deployed to may be reset from its page. */
    private boolean deployedTo(final EnvironmentName environment) {
        return queries.environmentsOf(job.getFullName()).contains(environment);
    }
}
