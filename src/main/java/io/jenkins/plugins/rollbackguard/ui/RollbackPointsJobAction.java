package io.jenkins.plugins.rollbackguard.ui;

import java.util.List;

import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.interceptor.RequirePOST;

import hudson.model.Action;
import hudson.model.Job;

import io.jenkins.plugins.rollbackguard.config.RollbackPermissions;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * The job page's "Rollback points": for each environment the job deployed to, the circuit and the job's points with
 * status badges, and a "Reset circuit" form (POST, Rollback permission on the job, a reason required; the ledger
 * records who reset it). Created by {@link RollbackPointsJobActionFactory}.
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
                .map(environment -> new EnvironmentView(environment.value(), queries.ledger().circuit(environment),
                        null, null, queries.newestOfJob(name, environment, POINTS_SHOWN), List.of()))
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

    /** Asked for every job page's side panel: answered from the in-memory index, no ledger file is read. */
    private boolean deployedAnywhere() {
        return !queries.environmentsOf(job.getFullName()).isEmpty();
    }

    /** Only environments this job deployed to may be reset from its page. */
    private boolean deployedTo(final EnvironmentName environment) {
        return queries.environmentsOf(job.getFullName()).contains(environment);
    }
}
