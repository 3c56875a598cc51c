package io.jenkins.plugins.rollbackguard.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Action;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.ParametersAction;
import hudson.model.Queue;
import hudson.model.Run;
import jenkins.model.ParameterizedJobMixIn;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.jenkins.BuildFacts;
import io.jenkins.plugins.rollbackguard.jenkins.GitFacts;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Schedules reverting builds: a new build of the target's job with a {@link RollbackCause}, the target's
 * parameters, its git revision pinned when the Git plugin is installed, and a {@link RollbackTargetAction}.
 * Used by a tripped guard, by {@code rollbackTo} and by the build page's "Roll back to this build" button.
 */
public final class RevertingBuilds {
    private RevertingBuilds() {
    }

    /**
     * Schedules a reverting build.
     *
     * @param target
     *         the build to return to
     * @param bad
     *         the build being left, or null when none is known
     * @param environment
     *         the environment
     * @param targetPointId
     *         the target's rollback point id
     * @param reason
     *         why, shown on the build page
     * @param requestedBy
     *         who asked (a user id, or "guard")
     * @return the queue item, or empty if Jenkins refused to schedule it
     */
    public static Optional<Queue.Item> schedule(final Run<?, ?> target, @CheckForNull final Run<?, ?> bad,
                                                final String environment, final long targetPointId, final String reason,
                                                final String requestedBy) {
        Job<?, ?> job = target.getParent();
        if (!(job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?>)) {
            return Optional.empty(); // only jobs that can be scheduled with actions (Pipeline, freestyle)
        }
        List<Action> actions = new ArrayList<>();
        List<Cause> causes = new ArrayList<>();
        causes.add(bad == null ? new RollbackCause(job.getFullName(), 0, target.getNumber(), reason)
                : new RollbackCause(bad, target.getNumber(), reason));
        if (requestedBy != null && !GUARD.equals(requestedBy)) {
            causes.add(new Cause.UserIdCause(requestedBy));
        }
        actions.add(new CauseAction(causes));
        ParametersAction parameters = target.getAction(ParametersAction.class);
        if (parameters != null) {
            // a copy of the target's values, password values included, as Jenkins keeps them
            actions.add(new ParametersAction(new ArrayList<>(parameters.getParameters())));
        }
        actions.add(new RollbackTargetAction(environment, targetPointId, target.getNumber()));
        GitFacts git = new GitFacts();
        String commit = new BuildFacts(git).commit(target, new hudson.EnvVars());
        git.pin(commit == null ? recordedCommit(environment, targetPointId) : commit).ifPresent(actions::add);
        return Optional.ofNullable(ParameterizedJobMixIn.scheduleBuild2(job, 0, actions.toArray(new Action[0])));
    }

    /** The commit the ledger recorded for the target (a Pipeline without Git build data, e.g. GIT_COMMIT). */
    @CheckForNull
    private static String recordedCommit(final String environment, final long pointId) {
        try {
            return new LedgerFacade().getLedger().point(EnvironmentName.of(environment), pointId).gitCommit();
        }
        catch (RuntimeException e) { // unknown environment or point: nothing to pin
            return null;
        }
    }

    /** The requester of a revert started by a tripped guard rather than by a person. */
    public static final String GUARD = "guard";
}
