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
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.queue.ScheduleResult;
import hudson.security.ACL;
import hudson.security.ACLContext;
import jenkins.model.ParameterizedJobMixIn;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.engine.guard.RevertParameters;
import io.jenkins.plugins.rollbackguard.engine.guard.RevertPlan;
import io.jenkins.plugins.rollbackguard.engine.guard.Reverter;
import io.jenkins.plugins.rollbackguard.engine.guard.RollbackPlanner;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.jenkins.BuildArtifactStore;
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
        return schedule(target, bad, environment, targetPointId, reason, userId, null);
    }

    /**
     * Schedules a reverting build that its requester can {@linkplain #find find} again by a key after a restart.
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
     *         the person who asked, or null
     * @param key
     *         names the request (kept on the {@link RollbackTargetAction}), or null
     * @return the new queue item, or empty if Jenkins refused to schedule it or would not give it an item of its own
     */
    public static Optional<Queue.Item> schedule(final Run<?, ?> target, @CheckForNull final Run<?, ?> bad,
                                                final String environment, final long targetPointId, final String reason,
                                                @CheckForNull final String userId, @CheckForNull final String key) {
        Job<?, ?> job = target.getParent();
        if (!(job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> task) || !job.isBuildable()) {
            return Optional.empty(); // only enabled jobs that can be scheduled with actions (Pipeline, freestyle)
        }
        return submit(task, target, actions(target, bad, environment, targetPointId, reason, userId, key));
    }

    /** The reverting build's actions: its causes, the target's parameters, the target action and the git pin. */
    private static List<Action> actions(final Run<?, ?> target, @CheckForNull final Run<?, ?> bad,
                                        final String environment, final long targetPointId, final String reason,
                                        @CheckForNull final String userId, @CheckForNull final String key) {
        Job<?, ?> job = target.getParent();
        List<Action> actions = new ArrayList<>();
        List<Cause> causes = new ArrayList<>();
        causes.add(bad == null ? new RollbackCause(job.getFullName(), 0, target.getNumber(), reason)
                : new RollbackCause(bad, target.getNumber(), reason));
        if (isPerson(userId)) {
            causes.add(new Cause.UserIdCause(userId));
        }
        actions.add(new CauseAction(causes));
        parameters(target, job).ifPresent(actions::add);
        actions.add(new RollbackTargetAction(environment, targetPointId, target.getNumber(), key));
        GitFacts git = new GitFacts();
        String commit = new BuildFacts(git).commit(target, new hudson.EnvVars());
        git.pin(commit == null ? recordedCommit(environment, targetPointId) : commit).ifPresent(actions::add);
        return actions;
    }

    /** Queues the build; an item that is not new (folded into a queued one, our actions dropped) is a refusal. */
    private static Optional<Queue.Item> submit(final ParameterizedJobMixIn.ParameterizedJob<?, ?> task,
                                               final Run<?, ?> target, final List<Action> actions) {
        ScheduleResult result = new JenkinsFacade().getQueue().schedule2(task, 0, actions);
        if (!result.isCreated()) {
            LOGGER.warning(() -> "Jenkins did not queue a build of its own for the revert of %s to #%d (%s)"
                    .formatted(task.getFullName(), target.getNumber(), result.isRefused() ? "refused" : "folded into "
                            + result.getItem()));
            return Optional.empty();
        }
        return Optional.ofNullable(result.getItem());
    }

    /**
     * Schedules the revert a person asked for on a page (no key), or joins the same revert when it is still waiting in
     * the queue. The queue never folds a revert ({@link RollbackTargetAction#shouldSchedule} is always true), so a
     * double-clicked button, or two people asking for the same point, would otherwise queue a second reverting build
     * that deploys the target again after the first. Looked up and scheduled under the queue's lock, so two requests
     * cannot both find nothing; a joining request adds its causes to the queued item ({@code CauseAction}'s own
     * folding), so the build names everyone who asked.
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
     *         the person who asked
     * @return the queue item (new or joined), or empty if Jenkins refused to schedule it
     */
    public static Optional<Queue.Item> scheduleOnce(final Run<?, ?> target, @CheckForNull final Run<?, ?> bad,
                                                    final String environment, final long targetPointId,
                                                    final String reason, @CheckForNull final String userId) {
        Job<?, ?> job = target.getParent();
        if (!(job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> task) || !job.isBuildable()) {
            return Optional.empty();
        }
        // outside the queue's lock: a parameter's default, the git lookup and the ledger may be slow
        List<Action> actions = actions(target, bad, environment, targetPointId, reason, userId, null);
        return Queue.<Optional<Queue.Item>, RuntimeException>callWithLock(() -> {
            for (Queue.Item item : new JenkinsFacade().getQueue().getItems(task)) {
                RollbackTargetAction queued = item.getAction(RollbackTargetAction.class);
                if (queued != null && queued.getKey() == null && queued.getEnvironment().equals(environment)
                        && queued.getPointId() == targetPointId) {
                    for (CauseAction causes : hudson.Util.filter(actions, CauseAction.class)) {
                        causes.foldIntoExisting(item, task, actions);
                    }
                    LOGGER.info(() -> "the revert of %s to #%d asked by %s joins queue item %d, which asks the same"
                            .formatted(job.getFullName(), target.getNumber(), userId, item.getId()));
                    return Optional.of(item);
                }
            }
            return submit(task, target, actions);
        });
    }

    /**
     * Plans a revert a person asks for (the build page, {@code rollbackTo}) as the command line's {@code rollback}
     * does, with the policy recorded on the point being left: a data-version change nobody allowed, a target whose
     * revert failed or whose artifacts are gone need a decision first ({@link RevertPlan.Manual}). Reads the target's
     * artifacts to check them: not on the CPS VM thread.
     *
     * @param ledger
     *         the ledger
     * @param leaving
     *         the point that runs now
     * @param targetId
     *         the point to return to, or 0 for the newest good one
     * @return the plan
     */
    public static RevertPlan planManual(final Ledger ledger, final RollbackPoint leaving, final long targetId) {
        return new RollbackPlanner(ledger, new BuildArtifactStore(), java.time.Instant::now)
                .planManual(policyOf(leaving), leaving, targetId);
    }

    /**
     * Says why a planned manual revert cannot be carried out by a reverting build: the plan restores database
     * backups first, which the command line's {@code rollback} does (TripHandler) and a reverting build does not, so
     * scheduling it would cross the data-version change while the page and the ledger said the data was restored.
     *
     * @param revert
     *         the plan
     * @return the sentence, or empty when a reverting build carries the plan out
     */
    public static Optional<String> notCarriedOut(final RevertPlan.Revert revert) {
        if (revert.dataRestore().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(restoreNotDone(revert.dataRestore().size(), revert.target().environment().value(),
                revert.target().id()));
    }

    /**
     * The sentence for a data restore asked of Jenkins.
     *
     * @param backups
     *         how many backups would be restored
     * @param environment
     *         the environment
     * @param targetId
     *         the point returned to
     * @return one sentence naming what to do instead
     */
    public static String restoreNotDone(final int backups, final String environment, final long targetId) {
        return ("rolling back to #%d would restore %d database backup(s) first, which a reverting build in Jenkins does "
                + "not do: restore with 'rollback-guard rollback --env %s --to %d --across-data-version --restore-data "
                + "--reason ...' where the backups are, or roll back across the data version without restoring data "
                + "(the job's Rollback points page)").formatted(targetId, backups, environment, targetId);
    }

    /** The policy recorded on the point being left, else the defaults. */
    static Policy policyOf(final RollbackPoint leaving) {
        String text = leaving.attributes().get(GuardSession.POLICY);
        if (text != null) {
            return new PolicyReader().parse("policy of point #" + leaving.id(), text);
        }
        return new Policy(leaving.environment(), null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
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

    /** How many of a job's newest builds {@link #find} looks at. */
    private static final int RECENT = 50;

    /**
     * The key of the revert a guard machine starts when it leaves a point: derived from the ledger, so that the
     * machine resumed after a restart looks for the same build (Argo Rollouts names its jobs the same way).
     *
     * @param environment
     *         the environment
     * @param leavingPointId
     *         the point being left
     * @return the key
     */
    public static String guardKey(final String environment, final long leavingPointId) {
        return "guard:" + environment + "#" + leavingPointId;
    }

    /**
     * Finds the reverting build a request scheduled: a queue item, or one of the job's newest builds, that carries
     * its key. Runs as SYSTEM (the queue hides items a user may not see).
     *
     * @param job
     *         the job the build was scheduled for
     * @param key
     *         the request's key
     * @return what was found, if anything
     */
    public static Optional<Scheduled> find(final Job<?, ?> job, final String key) {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            // builds, the queue, the executors, builds again: an item that starts between two looks is seen by one
            // of them. The executors matter: Executor.run creates the build and takes the item off the queue under
            // the queue's lock, but copies the item's actions (our key) to the build only after it let go of it
            Optional<Scheduled> found = findBuild(job, key);
            if (found.isEmpty() && job instanceof Queue.Task task) {
                found = new JenkinsFacade().getQueue().getItems(task).stream()
                        .filter(item -> hasKey(item.getAction(RollbackTargetAction.class), key)).findFirst()
                        .map(item -> new Scheduled(item.getId(), null));
            }
            if (found.isEmpty()) {
                found = findStarting(job, key);
            }
            return found.isPresent() ? found : findBuild(job, key);
        }
    }

    private static Optional<Scheduled> findBuild(final Job<?, ?> job, final String key) {
        return job.getBuilds().limit(RECENT).stream()
                .filter(run -> hasKey(run.getAction(RollbackTargetAction.class), key)).findFirst()
                .map(run -> new Scheduled(run.getQueueId(), run));
    }

    /** An item an executor has taken from the queue, whose build may not carry the item's actions yet. */
    private static Optional<Scheduled> findStarting(final Job<?, ?> job, final String key) {
        for (hudson.model.Executor executor : new JenkinsFacade().getAllExecutors()) {
            hudson.model.queue.WorkUnit unit = executor.getCurrentWorkUnit();
            if (unit != null && unit.context.task.equals(job) && unit.context.actions.stream()
                    .anyMatch(action -> action instanceof RollbackTargetAction target && hasKey(target, key))) {
                Queue.Executable executable = unit.getExecutable();
                return Optional.of(new Scheduled(unit.context.item.getId(),
                        executable instanceof Run<?, ?> run ? run : null));
            }
        }
        return Optional.empty();
    }

    private static boolean hasKey(@CheckForNull final RollbackTargetAction action, final String key) {
        return action != null && key.equals(action.getKey());
    }

    /**
     * A reverting build found by its key.
     *
     * @param queueId
     *         its queue item id
     * @param build
     *         the build, or null while it waits in the queue
     */
    public record Scheduled(long queueId, @CheckForNull Run<?, ?> build) {
        /** @return a few words for the build log and the ledger */
        public String describe() {
            Run<?, ?> run = build;
            if (run == null) {
                return "queue item " + queueId;
            }
            Result result = run.getResult();
            return run.getFullDisplayName() + (run.isBuilding() ? " (running)" : " (" + result + ")");
        }
    }

    /**
     * The reverter of a guard machine in a build: it schedules a reverting build of the target (under the
     * {@linkplain #guardKey key} of the point being left) and reports REVERTING; the reverting build's own guard judges
     * it. Before it schedules, and when a machine resumed after a restart asks what became of a revert it started,
     * it looks for a build with that key: a revert is never scheduled twice.
     *
     * @param bad
     *         the build being left
     * @param environment
     *         the environment
     * @return the reverter
     */
    public static Reverter reverter(final Run<?, ?> bad, final String environment) {
        return new Reverter() {
            @Override
            public GuardOutcome revert(final RevertPlan.Revert plan) {
                RollbackPoint target = plan.target();
                String key = guardKey(environment, plan.leaving().id());
                Optional<Scheduled> existing = find(bad.getParent(), key);
                if (existing.isPresent()) {
                    return reverting(plan.leaving(), "a reverting build was scheduled already: "
                            + existing.get().describe());
                }
                Run<?, ?> targetRun = target.source().build() > 0
                        ? bad.getParent().getBuildByNumber(target.source().build()) : null;
                if (targetRun == null) {
                    return new GuardOutcome(GuardOutcome.Result.REVERT_FAILED, plan.leaving(),
                            "build %s of %s is gone".formatted(target.source().build(), target.source().job()), null,
                            List.of(), null);
                }
                return schedule(targetRun, bad, environment, target.id(), plan.reason(), GUARD, key)
                        .map(item -> reverting(plan.leaving(), "reverting build of %s queued (queue item %d)"
                                .formatted(targetRun.getFullDisplayName(), item.getId())))
                        .orElseGet(() -> new GuardOutcome(GuardOutcome.Result.REVERT_FAILED, plan.leaving(),
                                "Jenkins refused to schedule a reverting build of " + targetRun.getFullDisplayName(),
                                null, List.of(), null));
            }

            @Override
            public Optional<GuardOutcome> resume(final RollbackPoint leaving, @CheckForNull final RollbackPoint revertPoint) {
                Optional<Scheduled> found = find(bad.getParent(), guardKey(environment, leaving.id()));
                if (found.isEmpty()) {
                    return Optional.empty(); // in doubt: the machine keeps the environment frozen and says why
                }
                Run<?, ?> run = found.get().build();
                if (run == null || run.isBuilding()) {
                    return Optional.of(reverting(leaving, "the reverting build goes on after the restart: "
                            + found.get().describe()));
                }
                return Optional.of(new GuardOutcome(GuardOutcome.Result.REVERT_FAILED, leaving,
                        "the reverting build %s ended without a verdict".formatted(found.get().describe()), null,
                        List.of(), null));
            }
        };
    }

    private static GuardOutcome reverting(final RollbackPoint leaving, final String line) {
        return new GuardOutcome(GuardOutcome.Result.REVERTING, leaving, line, null, List.of(), null);
    }
}
