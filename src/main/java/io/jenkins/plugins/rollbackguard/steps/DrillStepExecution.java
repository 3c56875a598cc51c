package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.springframework.security.core.Authentication;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.Permission;
import jenkins.model.ParameterizedJobMixIn;

import io.jenkins.plugins.rollbackguard.config.RollbackPermissions;
import io.jenkins.plugins.rollbackguard.engine.guard.Drill;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardRefusedException;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.jenkins.JobAliases;
import io.jenkins.plugins.rollbackguard.jenkins.WorkPool;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Runs {@code rollbackGuardDrill} as a driver of the engine's {@link Drill}, the way {@code rollbackTo} schedules a
 * revert: each leg the drill asks for is a reverting build of the build that deployed the leg's target
 * ({@link RevertingBuilds#schedule}, its request key the leg's {@link Drill#key}), whose own {@code withRollbackGuard}
 * records the leg's point ({@code trigger: drill}, see {@link GuardPreparation}), deploys and watches it. When that
 * build completes ({@link DrillListener}) the drill reads the ledger and says what comes next.
 *
 * <ul>
 *     <li>{@link #start()} runs on the CPS VM thread: it refuses a production-looking name and a reverting build
 *     (a leg runs the deploying job's Jenkinsfile again: a drill there would start drills without end), and reads the
 *     build, the flow node and the authentication, all in memory; the planning (the ledger, the other refusals, the permission
 *     checks) and every scheduling run on the {@link WorkPool}. The step then waits holding no thread and, outside
 *     {@code node}, no executor: the legs' builds take their own.</li>
 *     <li>Persisted: the step (environment, {@code allowProduction}), the drill's id (this build and flow node) and
 *     the id of the point drilled from, which is saved before the first leg is queued. The ledger holds the rest:
 *     {@link #onResume()} asks the drill again, which finds its legs' points, and {@link RevertingBuilds#find} finds a
 *     leg's build queued or running by its key, so a restart neither loses a leg nor queues it twice.</li>
 *     <li>{@link #stop} (an abort, a {@code timeout}) ends the step with its cause, the abort an abort; a leg still in
 *     the queue is cancelled (found by its key, under the lock the legs are scheduled under, so also one queued
 *     while the stop came in or before a restart), a leg already running goes on under its own guard, which judges
 *     it.</li>
 * </ul>
 */
public class DrillStepExecution extends StepExecution {
    private static final long serialVersionUID = 1L; // first release
    private static final Logger LOGGER = Logger.getLogger(DrillStepExecution.class.getName());
    private static final String ALLOW = "allowProduction: true";
    private static final long SAVE_SECONDS = 60;

    private final DrillStep step;
    private String drillId = "";
    private String requestedBy = "";
    private String requestedFrom = "";
    private String ownJob = "";
    /** The point drilled from; 0 until planned, and saved before any leg is queued. */
    private volatile long fromId;

    /** Not persisted, as in {@code rollbackTo}: the context's outcome is not either. */
    private transient volatile boolean done;
    /** The build's authentication, for the permission checks of the planning in this session only. */
    @CheckForNull
    private transient volatile Authentication auth;
    @CheckForNull
    private transient volatile Drill drill;
    @CheckForNull
    private transient volatile String waitingKey;
    private transient volatile long waitingQueueId;
    @CheckForNull
    private transient volatile Set<String> completedKeys;
    @CheckForNull
    private transient volatile Executor pool;
    @CheckForNull
    private transient volatile Object advancing;

    DrillStepExecution(final StepContext context, final DrillStep step) {
        super(context);
        this.step = step;
    }

    @Override
    public boolean start() throws Exception {
        try {
            Drill.checkName(EnvironmentName.of(step.getEnvironment()), step.isAllowProduction(), ALLOW);
        }
        catch (GuardRefusedException | IllegalArgumentException e) {
            throw new AbortException("rollbackGuardDrill: " + e.getMessage());
        }
        Run<?, ?> run = getContext().get(Run.class);
        if (run.getCause(RollbackCause.class) != null) { // in memory: the CauseAction is a persisted action
            // A leg (or a rollback) runs the deploy job's Jenkinsfile again: a drill started there would drill again
            // from each of its legs. Skipped, not failed: the leg's own deploy was judged by its guard, and a red
            // leg would look like a failed restore to the operator reading the job page.
            getContext().get(TaskListener.class).getLogger().println(("rollbackGuardDrill: skipped: %s is a reverting "
                    + "build (a drill's leg or a rollback), which runs the Jenkinsfile again; a drill runs only in a "
                    + "build started by a person, a trigger or cron").formatted(run.getFullDisplayName()));
            Map<String, Object> skipped = new HashMap<>();
            skipped.put("outcome", "SKIPPED");
            skipped.put("explanation", "a reverting build does not drill");
            succeed(skipped);
            return true;
        }
        FlowNode node = getContext().get(FlowNode.class); // in memory: the node of this step
        Authentication authentication = new JenkinsFacade().getAuthentication(); // the build's
        auth = authentication;
        drillId = run.getExternalizableId() + "@" + (node == null ? "" : node.getId());
        requestedBy = authentication.getName();
        requestedFrom = run.getFullDisplayName();
        ownJob = run.getParent().getFullName();
        pool().execute(this::plan);
        return false;
    }

    /** Plans the drill (refusals, permissions), saves the point drilled from, then asks for the first leg. */
    private void plan() {
        try {
            Ledger ledger = new LedgerFacade().getLedger();
            Drill planned = Drill.plan(ledger, environment(), step.isAllowProduction(), ALLOW,
                    DrillStepExecution::redeployable, drillId);
            for (Drill.Leg leg : Drill.Leg.values()) {
                check(jobOf(planned.target(leg)));
            }
            listener().getLogger().printf("[rollback-guard] drill on %s: %s -> %s -> %s%n", planned.environment(),
                    planned.from().label(), planned.previous().label(), planned.from().label());
            drill = planned;
            fromId = planned.from().id();
            getContext().saveState().get(SAVE_SECONDS, TimeUnit.SECONDS); // on disk before a leg can be queued
            advance();
        }
        catch (GuardRefusedException e) {
            fail(new AbortException("rollbackGuardDrill: " + e.getMessage()));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
        catch (Exception e) {
            fail(e);
        }
    }

    /** A point Jenkins can deploy again: a build of a job deployed it. */
    private static boolean redeployable(final RollbackPoint point) {
        return point.source().job() != null && point.source().build() > 0;
    }

    private void check(final Job<?, ?> job) throws AbortException {
        Authentication authentication = auth;
        if (authentication != null) {
            for (Permission permission : new Permission[] {RollbackPermissions.ROLLBACK, Item.BUILD}) {
                if (!job.getACL().hasPermission2(authentication, permission)) {
                    throw new AbortException(Messages.RollbackToStep_Denied(authentication.getName(),
                            permission.group.title + "/" + permission.name, job.getFullName()));
                }
            }
        }
        if (job instanceof hudson.model.AbstractProject<?, ?>) { // its reverting build records no drill point (yet)
            throw new AbortException(("rollbackGuardDrill: %s is a freestyle job, whose reverting builds do not record "
                    + "drill points yet; drill an environment deployed by a Pipeline job")
                    .formatted(job.getFullName()));
        }
        if (job.getFullName().equals(ownJob) && job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> p
                && !p.isConcurrentBuild()) {
            throw new AbortException(("rollbackGuardDrill: the drill's reverting builds are builds of %s, which does "
                    + "not allow concurrent builds, so they could only start after this build ends; run the drill from "
                    + "a job of its own (a cron job) or allow concurrent builds").formatted(job.getFullName()));
        }
    }

    /**
     * Asks the drill what comes next and does it: a leg whose build completed is told to the drill, a leg queued or
     * running is waited for, a leg not started is scheduled, the end ends the step. On the work pool, one at a time,
     * under a lock of its own: the CPS VM thread never waits for it.
     */
    private void advance() {
        synchronized (advancing()) {
            if (!done) {
                advanceOnce();
            }
        }
    }

    private void advanceOnce() {
        try {
            Ledger ledger = new LedgerFacade().getLedger();
            Drill current = drill(ledger);
            Drill.Next next = current.next(ledger);
            while (!(next instanceof Drill.Done)) {
                Drill.Leg leg = next instanceof Drill.Deploy deploy ? deploy.leg() : ((Drill.Wait) next).leg();
                Job<?, ?> job = jobOf(current.target(leg));
                String key = current.key(leg);
                Optional<RevertingBuilds.Scheduled> found = RevertingBuilds.find(job, key);
                if (found.isPresent() && hasEnded(found.get(), key)) {
                    next = current.ended(ledger, leg, found.get().describe());
                }
                else if (found.isPresent()) {
                    waitFor(key, found.get().queueId());
                    return;
                }
                else if (next instanceof Drill.Wait wait) {
                    throw new AbortException(("rollbackGuardDrill: %s is in flight but no recent build of %s carries "
                            + "this drill's leg; look at the job's Rollback points page").formatted(wait.point().label(),
                            job.getFullName()));
                }
                else {
                    schedule(job, (Drill.Deploy) next);
                    return;
                }
            }
            finish((Drill.Done) next);
        }
        catch (GuardRefusedException e) {
            fail(new AbortException("rollbackGuardDrill: " + e.getMessage()));
        }
        catch (Exception e) {
            fail(e);
        }
    }

    private Drill drill(final Ledger ledger) {
        Drill known = drill;
        if (known == null) { // resumed after a restart: the ledger says how far it got
            known = Drill.resume(ledger, environment(), fromId, DrillStepExecution::redeployable, drillId);
            drill = known;
        }
        return known;
    }

    private boolean hasEnded(final RevertingBuilds.Scheduled found, final String key) {
        Run<?, ?> run = found.build();
        return run != null && (!run.isBuilding() || completed().contains(key));
    }

    private void schedule(final Job<?, ?> job, final Drill.Deploy deploy) throws IOException, InterruptedException {
        Run<?, ?> target = job.getBuildByNumber(deploy.target().source().build());
        if (target == null) {
            throw new AbortException("rollbackGuardDrill: build #%d of %s, which deployed %s, is gone".formatted(
                    deploy.target().source().build(), job.getFullName(), deploy.target().label()));
        }
        Optional<Queue.Item> item = RevertingBuilds.schedule(target, null, environment().value(),
                deploy.target().id(), "rollbackGuardDrill in %s: %s".formatted(requestedFrom, deploy.why()),
                requestedBy, deploy.key());
        if (item.isPresent() && done) { // stopped while it was being queued
            cancel(item.get().getId());
            return;
        }
        if (item.isEmpty()) {
            throw new AbortException("rollbackGuardDrill: Jenkins refused to queue the drill's reverting build of "
                    + job.getFullName() + " (the job is disabled, or the queue would merge it into a queued build)");
        }
        listener().getLogger().printf("[rollback-guard] drill: %s: reverting build of %s queued (queue item %d)%n",
                deploy.why(), target.getFullDisplayName(), item.get().getId());
        waitFor(deploy.key(), item.get().getId());
    }

    /** Waits for a leg's build; a completion heard before the key was set is caught here. */
    private void waitFor(final String key, final long queueId) {
        waitingQueueId = queueId;
        waitingKey = key;
        if (completed().contains(key)) {
            pool().execute(this::advance);
        }
    }

    private void finish(final Drill.Done end) throws IOException, InterruptedException {
        Map<String, Object> facts = new HashMap<>(); // what the step returns: serialisable values only
        facts.put("environment", environment().value());
        facts.put("outcome", end.verdict().name());
        facts.put("from", end.from().id());
        facts.put("back", end.back() == null ? 0L : end.back().id());
        facts.put("forward", end.forward() == null ? 0L : end.forward().id());
        facts.put("timeToRestore", end.timeToRestore());
        facts.put("timeToRestoreMs", end.figure() == null ? -1L
                : end.figure().timeToRestore().map(java.time.Duration::toMillis).orElse(-1L));
        facts.put("explanation", end.explanation());
        listener().getLogger().printf("[rollback-guard] drill on %s: %s: %s; time to restore %s (a drill figure, apart "
                + "from the incidents)%n", environment(), end.verdict(), end.explanation(), end.timeToRestore());
        if (end.verdict() == Drill.Verdict.OK) {
            succeed(facts);
        }
        else {
            fail(new AbortException("rollbackGuardDrill: %s: %s".formatted(end.verdict(), end.explanation())));
        }
    }

    /**
     * Told by {@link DrillListener} that a drill leg's build completed; on the CPS VM thread, so only in memory.
     *
     * @param key
     *         the leg's key
     */
    void onLegCompleted(final String key) {
        if (done || !isOwnLeg(key)) {
            return;
        }
        completed().add(key);
        if (key.equals(waitingKey)) {
            pool().execute(this::advance);
        }
    }

    /**
     * Told by {@link DrillListener} that a queue item was cancelled.
     *
     * @param id
     *         the item's id
     */
    void onCancelled(final long id) {
        if (!done && id != 0 && id == waitingQueueId) {
            fail(new AbortException("rollbackGuardDrill: the drill's reverting build was cancelled in the queue"));
        }
    }

    @Override
    public void onResume() {
        if (done) {
            return;
        }
        if (fromId == 0) { // saved before the first leg is queued: nothing was queued
            fail(new AbortException("rollbackGuardDrill: Jenkins restarted while the drill was being planned, before "
                    + "any of its builds was queued; run the drill again"));
            return;
        }
        pool().execute(this::advance); // the ledger and the legs' keys say how far it got
    }

    @Override
    public void stop(final Throwable cause) {
        done = true; // in memory, on the CPS VM thread: the queue is left to the work pool
        pool().execute(this::cancelQueuedLegs); // a leg still queued must not run; one running has its own guard
        getContext().onFailure(cause);
    }

    /**
     * Cancels every leg of this drill still in the queue, found by its key rather than by {@link #waitingQueueId}:
     * that id is transient (0 after a restart until {@link #advance()} has looked the leg up again) and is set only
     * after {@link RevertingBuilds#schedule} returned, so a stop that came in between would leave a queued leg to
     * deploy after the abort. Taken under the lock {@link #advance()} runs under, the look-up sees whatever an
     * advance in progress queued; a later advance does nothing ({@link #done}). Under the queue's lock, whose
     * snapshot is then current: {@code Queue.cancel} removes only the item object the queue holds now. A leg an
     * executor has taken is no longer in the queue: it runs, judged by its own guard. On the work pool, as SYSTEM
     * (the queue lists only the items the current authentication may read).
     */
    private void cancelQueuedLegs() {
        synchronized (advancing()) {
            Queue.withLock(() -> {
                Queue queue = new JenkinsFacade().getQueue();
                for (Queue.Item item : queue.getItems()) {
                    RollbackTargetAction target = item.getAction(RollbackTargetAction.class);
                    if (target != null && isOwnLeg(target.getKey()) && !queue.cancel(item)) {
                        LOGGER.warning(() -> "could not cancel the drill's reverting build in queue item "
                                + item.getId());
                    }
                }
            });
        }
    }

    private boolean isOwnLeg(@CheckForNull final String key) {
        return Drill.ofKey(key).filter(leg -> leg.id().equals(drillId)).isPresent();
    }

    /** Cancels a queued leg by id, as {@code rollbackTo} does: a started build is not in the queue any more. */
    private static void cancel(final long id) {
        Queue queue = new JenkinsFacade().getQueue();
        Queue.Item current = queue.getItem(id);
        if (current != null && !queue.cancel(current)) {
            LOGGER.warning(() -> "could not cancel the drill's reverting build in queue item " + id);
        }
    }

    @Override
    public String getStatus() {
        long queued = waitingQueueId;
        return queued == 0 ? "planning the drill of " + step.getEnvironment()
                : "waiting for the drill's reverting build (queue item %d)".formatted(queued);
    }

    private Job<?, ?> jobOf(final RollbackPoint point) throws AbortException {
        String name = new JobAliases().current(point.source().job());
        return new JenkinsFacade().getJob(name).orElseThrow(() -> new AbortException(
                "rollbackGuardDrill: the job %s that deployed %s is gone".formatted(name, point.label())));
    }

    private EnvironmentName environment() {
        return EnvironmentName.of(step.getEnvironment());
    }

    private Object advancing() {
        Object lock = advancing;
        if (lock == null) {
            synchronized (this) { // held for the assignment only
                lock = advancing;
                if (lock == null) {
                    lock = new Object();
                    advancing = lock;
                }
            }
        }
        return lock;
    }

    private Set<String> completed() {
        Set<String> keys = completedKeys;
        if (keys == null) {
            synchronized (this) {
                keys = completedKeys;
                if (keys == null) {
                    keys = ConcurrentHashMap.newKeySet();
                    completedKeys = keys;
                }
            }
        }
        return keys;
    }

    private synchronized void succeed(final Object value) {
        if (!done) {
            done = true;
            getContext().onSuccess(value);
        }
    }

    private synchronized void fail(final Throwable failure) {
        if (!done) {
            done = true;
            getContext().onFailure(failure);
        }
    }

    private TaskListener listener() throws IOException, InterruptedException {
        TaskListener listener = getContext().get(TaskListener.class);
        return listener == null ? TaskListener.NULL : listener;
    }

    private Executor pool() {
        Executor bound = pool;
        if (bound == null) {
            bound = WorkPool.executor();
            pool = bound;
        }
        return bound;
    }
}
