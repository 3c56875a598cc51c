package io.jenkins.plugins.rollbackguard.steps;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Action;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.ParameterDefinition;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.queue.ScheduleResult;
import hudson.security.ACL;
import jenkins.model.ParameterizedJobMixIn;

import io.jenkins.plugins.rollbackguard.engine.guard.RevertParameters;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.jenkins.BuildFacts;
import io.jenkins.plugins.rollbackguard.jenkins.GitFacts;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Schedules reverting builds: a new build of the target's job with a {@link RollbackCause}, the target's
 * parameters, its git revision pinned when the Git plugin is installed, and a {@link RollbackTargetAction}.
 * Used by a tripped guard, by {@code rollbackTo} and by the build page's "Roll back to this build" button.
 */
public final class RevertingBuilds {
    private static final Logger LOGGER = Logger.getLogger(RevertingBuilds.class.getName());

    private RevertingBuilds() {
    }

    /**
     * Schedules a reverting build. It always gets a queue item of its own: {@link RollbackTargetAction} asks the
     * queue for a separate item, and a result that is not a new item (a {@code QueueDecisionHandler} or another
     * plugin's action folded it into a queued build, dropping our actions) is treated as a refusal, so that the new
     * code is never deployed under a {@link RollbackCause} nor waited for as a revert.
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
     * @param userId
     *         the person who asked, or null for the guard itself and for builds that run as SYSTEM or anonymous
     *         (they get no "Started by user" cause)
     * @return the new queue item, or empty if Jenkins refused to schedule it or would not give it an item of its own
     */
    public static Optional<Queue.Item> schedule(final Run<?, ?> target, @CheckForNull final Run<?, ?> bad,
                                                final String environment, final long targetPointId, final String reason,
                                                @CheckForNull final String userId) {
        Job<?, ?> job = target.getParent();
        if (!(job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> task) || !job.isBuildable()) {
            return Optional.empty(); // only enabled jobs that can be scheduled with actions (Pipeline, freestyle)
        }
        List<Action> actions = new ArrayList<>();
        List<Cause> causes = new ArrayList<>();
        causes.add(bad == null ? new RollbackCause(job.getFullName(), 0, target.getNumber(), reason)
                : new RollbackCause(bad, target.getNumber(), reason));
        if (isPerson(userId)) {
            causes.add(new Cause.UserIdCause(userId));
        }
        actions.add(new CauseAction(causes));
        parameters(target, job).ifPresent(actions::add);
        actions.add(new RollbackTargetAction(environment, targetPointId, target.getNumber()));
        GitFacts git = new GitFacts();
        String commit = new BuildFacts(git).commit(target, new hudson.EnvVars());
        git.pin(commit == null ? recordedCommit(environment, targetPointId) : commit).ifPresent(actions::add);
        ScheduleResult result = new JenkinsFacade().getQueue().schedule2(task, 0, actions);
        if (!result.isCreated()) {
            LOGGER.warning(() -> "Jenkins did not queue a build of its own for the revert of %s to #%d (%s)"
                    .formatted(job.getFullName(), target.getNumber(), result.isRefused() ? "refused" : "folded into "
                            + result.getItem()));
            return Optional.empty();
        }
        return Optional.ofNullable(result.getItem());
    }

    /**
     * The target's parameter values (password values included, as Jenkins keeps them) and the current defaults of
     * parameters added since; Jenkins fills in defaults only when no values are given at all.
     */
    private static Optional<ParametersAction> parameters(final Run<?, ?> target, final Job<?, ?> job) {
        ParametersAction recorded = target.getAction(ParametersAction.class);
        ParametersDefinitionProperty definitions = job.getProperty(ParametersDefinitionProperty.class);
        if (recorded == null && definitions == null) {
            return Optional.empty();
        }
        List<ParameterValue> own = recorded == null ? List.of() : recorded.getParameters();
        Set<String> named = new HashSet<>();
        own.forEach(value -> named.add(value.getName()));
        List<ParameterValue> defaults = new ArrayList<>();
        if (definitions != null) {
            for (ParameterDefinition definition : definitions.getParameterDefinitions()) {
                if (!named.contains(definition.getName())) { // only new parameters: a default may be costly to make
                    defaultOf(definition).ifPresent(defaults::add);
                }
            }
        }
        List<ParameterValue> values = RevertParameters.fill(own, defaults, ParameterValue::getName);
        return Optional.of(new ParametersAction(values));
    }

    /** A definition's default; one whose plugin cannot make it leaves the parameter unset rather than the revert. */
    private static Optional<ParameterValue> defaultOf(final ParameterDefinition definition) {
        try {
            return Optional.ofNullable(definition.getDefaultParameterValue());
        }
        catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "no default value for parameter " + definition.getName()
                    + " of a reverting build", e);
            return Optional.empty();
        }
    }

    /** Whether a requester is a person; the guard, SYSTEM and anonymous are not. */
    static boolean isPerson(@CheckForNull final String userId) {
        return userId != null && !userId.isBlank() && !GUARD.equals(userId)
                && !ACL.SYSTEM_USERNAME.equals(userId) && !ACL.ANONYMOUS_USERNAME.equals(userId);
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
