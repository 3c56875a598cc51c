package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.springframework.security.core.Authentication;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.security.Permission;
import jenkins.model.ParameterizedJobMixIn;

import io.jenkins.plugins.rollbackguard.config.RollbackPermissions;
import io.jenkins.plugins.rollbackguard.engine.guard.RevertPlan;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.jenkins.JobAliases;
import io.jenkins.plugins.rollbackguard.jenkins.WorkPool;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Runs {@code rollbackTo} without blocking the CPS thread: {@link #start()} checks the permissions of the build's
 * authentication (in memory), the planning and scheduling run on the plugin's {@link WorkPool}, and the step then
 * waits for the reverting build through {@link RollbackToListener} events, holding no thread. Without {@code wait}
 * it returns the queue item id as soon as the revert is queued.
 *
 * <p>Persisted: the queue item id and the request's key, made in {@link #start()} from the build and the step's flow
 * node and kept on the reverting build's {@link RollbackTargetAction}. After a restart {@link #onResume()} looks the
 * build up by its id, or, when the restart came before the id was saved, finds the queue item or build by the key
 * (and only when there is none plans and schedules again): a restart neither loses the revert nor queues it
 * twice.</p>
 */
public class RollbackToStepExecution extends AbstractStepExecutionImpl {
    private static final long serialVersionUID = 1L; // first release
    private static final int SCAN = 50;

    private final RollbackToStep step;
    private String jobName = "";
    private String requestedBy = "";
    private String requestedFrom = "";
    private volatile long queueId; // read by the queue and run listeners
    /** Names this request on the reverting build it schedules; empty in a step saved by an older version. */
    private String requestKey = "";
    /**
     * Not persisted: the step context's outcome is not either, so a program saved between {@link #succeed} and the
     * outcome reaching the program resumes with the step still pending, and must be able to answer again.
     */
    private transient volatile boolean done;

    /**
     * The work pool of the Jenkins session this object lives in. An execution restored after a restart gets the
     * new session's; the old object keeps the ended session's, which drops its tasks, so it cannot act again.
     */
    @CheckForNull
    private transient volatile Executor pool;

    RollbackToStepExecution(final StepContext context, final RollbackToStep step) {
        super(context);
        this.step = step;
    }

    @Override
    public boolean start() throws Exception {
        JenkinsFacade jenkins = new JenkinsFacade();
        Run<?, ?> run = getContext().get(Run.class);
        Authentication auth = jenkins.getAuthentication(); // the build's: SYSTEM unless a QueueItemAuthenticator says otherwise
        Job<?, ?> job = step.getJob().isEmpty() ? run.getParent() : findJob(jenkins, step.getJob(), auth);
        check(job, auth, RollbackPermissions.ROLLBACK);
        check(job, auth, Item.BUILD);
        if (step.isWait() && job == run.getParent() && job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> p
                && !p.isConcurrentBuild()) {
            throw new AbortException(Messages.RollbackToStep_WaitOnSelf(job.getFullName()));
        }
        jobName = job.getFullName();
        requestedBy = auth.getName();
        requestedFrom = run.getFullDisplayName();
        FlowNode node = getContext().get(FlowNode.class); // in memory: the node of this step
        requestKey = "rollbackTo:" + run.getExternalizableId() + "@" + (node == null ? "" : node.getId());
        pool().execute(this::schedule);
        return false;
    }

    private static Job<?, ?> findJob(final JenkinsFacade jenkins, final String name, final Authentication auth)
            throws AbortException {
        try (ACLContext ignored = ACL.as2(auth)) {
            return jenkins.getJob(name).orElseThrow(() -> new AbortException("rollbackTo: no job '%s'".formatted(name)));
        }
    }

    private static void check(final Job<?, ?> job, final Authentication auth, final Permission permission)
            throws AbortException {
        if (!job.getACL().hasPermission2(auth, permission)) {
            throw new AbortException(Messages.RollbackToStep_Denied(auth.getName(),
                    permission.group.title + "/" + permission.name, job.getFullName()));
        }
    }

    private void schedule() {
        try {
            Job<?, ?> job = new JenkinsFacade().getJob(jobName)
                    .orElseThrow(() -> new AbortException("rollbackTo: the job " + jobName + " is gone"));
            Optional<RevertingBuilds.Scheduled> earlier = requestKey.isEmpty() ? Optional.empty()
                    : RevertingBuilds.find(job, requestKey);
            if (earlier.isPresent()) { // scheduled before a restart that lost its id
                listener().getLogger().printf("[rollback-guard] found the reverting build this step scheduled before "
                        + "the restart: %s%n", earlier.get().describe());
                queued(earlier.get().queueId());
                return;
            }
            Ledger ledger = new LedgerFacade().getLedger();
            EnvironmentName environment = EnvironmentName.of(step.getEnvironment());
            if (!ledger.environments().contains(environment) || ledger.size(environment) == 0) {
                throw new AbortException("rollbackTo: environment '%s' has no rollback points".formatted(environment));
            }
            RollbackPoint leaving = ledger.history(environment, 0, 1).get(0);
            RevertPlan plan = RevertingBuilds.planManual(ledger, leaving, targetId(ledger, environment, job));
            if (plan instanceof RevertPlan.Manual manual) {
                throw new AbortException("rollbackTo: " + manual.describe());
            }
            RevertPlan.Revert revert = (RevertPlan.Revert) plan;
            Optional<String> refused = RevertingBuilds.notCarriedOut(revert); // its restores would be skipped
            if (refused.isPresent()) {
                throw new AbortException("rollbackTo: " + refused.get());
            }
            Run<?, ?> targetRun = job.getBuildByNumber(revert.target().source().build());
            if (targetRun == null) {
                throw new AbortException("rollbackTo: build #%d of %s is gone".formatted(revert.target().source().build(),
                        jobName));
            }
            // the build of the point being left, in its own job: the environment's newest point may be another
            // job's, and this job's build of the same number is not what is left (its point would be marked reverted)
            Run<?, ?> leavingRun = leaving.source().job() == null ? null : new JenkinsFacade()
                    .getBuild(new JobAliases().current(leaving.source().job()), leaving.source().build()).orElse(null);
            String by = RevertingBuilds.isPerson(requestedBy) ? "rollbackTo by " + requestedBy
                    : "rollbackTo in " + requestedFrom;
            if (done) {
                return; // stopped (aborted) while planning: queue nothing
            }
            Optional<Queue.Item> item = RevertingBuilds.schedule(targetRun, leavingRun, environment.value(),
                    revert.target().id(), by + ": " + revert.reason(), requestedBy,
                    requestKey.isEmpty() ? null : requestKey);
            if (item.isPresent() && done) { // stopped while it was being queued
                cancel(item.get().getId());
                return;
            }
            if (item.isEmpty()) {
                throw new AbortException("rollbackTo: Jenkins refused to queue a reverting build of its own for "
                        + jobName + " (the job is disabled, or the queue would merge it into a queued build)");
            }
            listener().getLogger().printf("[rollback-guard] %s; reverting build queued (queue item %d)%n",
                    revert.describe(), item.get().getId());
            queued(item.get().getId());
        }
        catch (Exception e) {
            fail(e);
        }
    }

    /** The revert is queued (or was found queued): keep its id, then answer or wait. */
    private void queued(final long id) {
        queueId = id;
        getContext().saveState();
        if (!step.isWait()) {
            // Return at once: on its own job without concurrent builds the revert can only start after this
            // build ends, so waiting for it to start would wait forever.
            succeed(queueId);
            return;
        }
        catchUp();
    }

    private long targetId(final Ledger ledger, final EnvironmentName environment, final Job<?, ?> job)
            throws AbortException {
        if (step.isLastGood()) {
            return 0;
        }
        JobAliases aliases = new JobAliases();
        for (RollbackPoint point : ledger.history(environment, 0, Math.min(500, ledger.size(environment)))) {
            boolean match = step.isBuildNumber()
                    ? point.source().job() != null && aliases.sameJob(point.source().job(), job.getFullName())
                            && point.source().build() == Integer.parseInt(step.getTarget())
                    : point.gitCommit() != null && point.gitCommit().startsWith(step.getTarget());
            if (match && point.status().isRestorable()) {
                return point.id();
            }
        }
        throw new AbortException("rollbackTo: no good rollback point of %s in '%s' matches '%s'".formatted(
                job.getFullName(), environment, step.getTarget()));
    }

    /** Told by {@link RollbackToListener} that a build started or finished. */
    void onEvent(final Run<?, ?> run, final boolean completed) {
        if (done || queueId == 0 || run.getQueueId() != queueId || !run.getParent().getFullName().equals(jobName)) {
            return;
        }
        if (step.isWait() && completed) {
            Result result = run.getResult();
            succeed(result == null ? "UNKNOWN" : result.toString());
        }
    }

    /** Told by {@link RollbackToListener} that a queue item was cancelled. */
    void onCancelled(final long id) {
        if (!done && id == queueId) {
            fail(new AbortException("rollbackTo: the reverting build was cancelled in the queue"));
        }
    }

    private void catchUp() {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            Optional<Job<?, ?>> job = new JenkinsFacade().getJob(jobName);
            if (job.isEmpty()) {
                return;
            }
            for (Run<?, ?> run : job.get().getBuilds().limit(SCAN)) {
                if (run.getQueueId() == queueId) {
                    onEvent(run, !run.isBuilding());
                    return;
                }
            }
        }
    }

    @Override
    public void onResume() { // no super.onResume(): it only performs the deprecated Guice injection
        if (queueId == 0 && !done && !requestKey.isEmpty()) {
            pool().execute(this::schedule); // finds the revert by its key, else plans and schedules it now
        }
        else if (queueId == 0 && !done) {
            fail(new AbortException("rollbackTo: Jenkins restarted while the rollback was being planned; check the "
                    + "queue and the job's Rollback points page for a reverting build before asking again"));
        }
        else if (queueId != 0 && !done) {
            if (step.isWait()) {
                pool().execute(this::catchUp);
            }
            else {
                succeed(queueId); // queued before the restart; the answer was lost with it
            }
        }
    }

    @Override
    public void stop(final Throwable cause) throws Exception {
        done = true;
        if (queueId != 0) {
            cancel(queueId); // a revert queued for a step that is stopped must not run
        }
        else if (!requestKey.isEmpty()) { // maybe queued before a restart that lost its id: look it up off this thread
            pool().execute(() -> new JenkinsFacade().getJob(jobName)
                    .flatMap(job -> RevertingBuilds.find(job, requestKey))
                    .filter(found -> found.build() == null).ifPresent(found -> cancel(found.queueId())));
        }
        super.stop(cause);
    }

    /** Cancels a queued revert by id: the queue replaces its item objects as they move from waiting to buildable. */
    private static void cancel(final long id) {
        Queue queue = new JenkinsFacade().getQueue();
        Queue.Item current = queue.getItem(id);
        if (current != null && !queue.cancel(current)) {
            java.util.logging.Logger.getLogger(RollbackToStepExecution.class.getName())
                    .warning(() -> "could not cancel the revert in queue item " + id + " of a stopped rollbackTo");
        }
    }

    @Override
    public String getStatus() {
        return queueId == 0 ? "planning the rollback of " + jobName
                : "waiting for the reverting build of %s (queue item %d)".formatted(jobName, queueId);
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
