package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import jenkins.util.Timer;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.engine.health.Watch;
import io.jenkins.plugins.rollbackguard.engine.health.WatchResult;
import io.jenkins.plugins.rollbackguard.engine.health.WatchState;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.jenkins.SamplePool;

/**
 * Runs {@code withRollbackGuard}, restart-safe in the manner of {@code TimeoutStepExecution}: {@link #start()} does
 * no I/O on the CPS thread (preflight, baselines and backups run on the plugin's pool, then the body starts); after
 * the body the watch runs with timers on {@code jenkins.util.Timer} and samples on the pool, holding no thread
 * between samples. Persisted: the phase, environment, point id, absolute deadline, policy text, baselines and the
 * analyses' snapshots (re-saved after every sample). Transient: the watch and the deadline timer, re-armed in
 * {@link #onResume()} from the snapshots.
 */
public class WithRollbackGuardStepExecution extends AbstractStepExecutionImpl {
    private static final long serialVersionUID = 1L; // first release
    private static final Logger LOGGER = Logger.getLogger(WithRollbackGuardStepExecution.class.getName());

    /** Where the execution stands; persisted so that {@link #onResume()} knows what to re-arm. */
    enum Phase { PREPARING, DEPLOYING, WATCHING, DONE, PASSTHROUGH }

    private final WithRollbackGuardStep step;
    private volatile Phase phase = Phase.PREPARING;
    private String environment = "";
    private long pointId;
    private long deadline;
    private String policyText = "";
    // JSON text (WatchState), not the engine's records: the Pipeline keeps these fields in program.dat and
    // build.xml, and text stays readable there whatever becomes of the records' classes
    private String baselines = "";
    private String snapshots = "";
    @CheckForNull
    private BodyExecution body;

    /** Live watch; rebuilt from {@link #snapshots} after a restart. */
    @CheckForNull
    private transient volatile Watch watch;
    /** Timer future that stops the watch at {@link #deadline}; re-armed after a restart. */
    @CheckForNull
    private transient volatile ScheduledFuture<?> deadlineTimer;
    /** Live engine wiring for this build; rebuilt on demand. */
    @CheckForNull
    private transient volatile GuardHost host;
    /** Set by {@link #stop}, so that a cancelled body is not judged as a failed deploy. */
    private transient volatile boolean stopping;

    /**
     * The sample pool of the Jenkins session this object lives in. An execution restored after a restart gets the
     * new session's; the old object keeps the ended session's, which drops its tasks, so it cannot act again.
     */
    @CheckForNull
    private transient volatile Executor pool;

    WithRollbackGuardStepExecution(final StepContext context, final WithRollbackGuardStep step) {
        super(context);
        this.step = step;
    }

    @Override
    public boolean start() {
        pool().execute(this::prepare);
        return false;
    }

    private void prepare() {
        try {
            Run<?, ?> run = getContext().get(Run.class);
            FilePath workspace = getContext().get(FilePath.class);
            Policy policy = new PolicyResolver(RollbackGuardConfiguration.get()).resolve(step, workspace);
            environment = policy.environment().value();
            if (new ChangeRequests().isChangeRequest(run) && !step.isAllowChangeRequests()) {
                listener().getLogger().println("[rollback-guard] change-request build: no rollback point is recorded "
                        + "and nothing is reverted (allowChangeRequests: false)");
                phase = Phase.PASSTHROUGH;
                startBody(Map.of());
                return;
            }
            GuardPreparation preparation = new GuardPreparation(step, run);
            Policy effective = preparation.effectivePolicy(policy);
            policyText = new PolicyReader().mapper().writeValueAsString(effective);
            GuardHost guard = host(effective);
            GuardPreparation.Prepared prepared = preparation.prepare(guard, getContext().get(EnvVars.class),
                    RollbackGuardConfiguration.get().getEffectiveBackupRoot().toString(), p -> {
                        pointId = p.id();
                        saveState();
                    });
            if (prepared.outcome() != null) {
                finish(guard, prepared.outcome());
                return;
            }
            baselines = WatchState.writeBaselines(prepared.baselines());
            if (stopping) {
                return;
            }
            phase = Phase.DEPLOYING;
            saveState();
            startBody(prepared.environment());
        }
        catch (Exception e) { // any failure before the body: the step fails with it, the point stays as the engine left it
            getContext().onFailure(e);
        }
    }

    private void startBody(final Map<String, String> variables) throws IOException, InterruptedException {
        EnvironmentExpander expander = EnvironmentExpander.merge(getContext().get(EnvironmentExpander.class),
                EnvironmentExpander.constant(variables));
        body = getContext().newBodyInvoker().withContext(expander).withCallback(new Callback()).start();
    }

    private void afterBody() {
        try {
            GuardHost guard = host();
            RollbackPoint point = guard.session().watching(guard.point(pointId));
            deadline = System.currentTimeMillis() + guard.plannedWatchMillis();
            phase = Phase.WATCHING;
            runWatch(guard, guard.watch(WatchState.readBaselines(baselines), Map.of()), point);
        }
        catch (Exception e) {
            getContext().onFailure(e);
        }
    }

    private void runWatch(final GuardHost guard, final Watch newWatch, final RollbackPoint point) {
        watch = newWatch;
        snapshots = WatchState.writeSnapshots(newWatch.snapshots());
        saveState();
        newWatch.observe((probe, scheduled, measurement) -> {
            snapshots = WatchState.writeSnapshots(newWatch.snapshots());
            saveState();
        });
        guard.listener().info("watching %d probe(s) of point #%d in %s".formatted(guard.policy().probes().size(),
                point.id(), environment));
        armDeadline();
        newWatch.start().whenComplete((result, failure) -> pool().execute(() -> decide(guard, point, result, failure)));
    }

    private void decide(final GuardHost guard, final RollbackPoint point, @CheckForNull final WatchResult result,
                        @CheckForNull final Throwable failure) {
        cancelDeadline();
        if (stopping || phase == Phase.DONE) {
            return;
        }
        try {
            if (failure != null) {
                throw new AbortException("[rollback-guard] the watch failed: " + failure.getMessage());
            }
            GuardOutcome outcome = guard.session().trips().onWatch(point, result, guard.reverter(guard.run()));
            finish(guard, outcome);
        }
        catch (Exception e) {
            getContext().onFailure(e);
        }
    }

    private void finish(final GuardHost guard, final GuardOutcome outcome) {
        phase = Phase.DONE;
        watch = null;
        saveState();
        listener().getLogger().printf("[rollback-guard] %s: %s%n", outcome.result(), outcome.explanation());
        switch (outcome.result()) {
            case GOOD -> {
                new KeepGoodBuilds().protect(guard.ledger(), guard.policy());
                getContext().onSuccess(null);
            }
            case INCONCLUSIVE -> {
                getContext().setResult(Result.UNSTABLE);
                getContext().onSuccess(null);
            }
            default -> getContext().onFailure(new AbortException("[rollback-guard] %s: %s"
                    .formatted(outcome.result(), outcome.explanation())));
        }
    }

    private void armDeadline() {
        long delay = deadline - System.currentTimeMillis();
        deadlineTimer = Timer.get().schedule(() -> pool().execute(() -> {
            Watch current = watch;
            if (current != null) {
                current.stop("the watch deadline passed");
            }
        }), Math.max(0, delay), TimeUnit.MILLISECONDS);
    }

    private void cancelDeadline() {
        ScheduledFuture<?> timer = deadlineTimer;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public void onResume() { // no super.onResume(): it only performs the deprecated Guice injection
        switch (phase) {
            case WATCHING -> pool().execute(this::resumeWatch);
            case PREPARING -> getContext().onFailure(new AbortException(
                    "[rollback-guard] Jenkins restarted while the guard was preparing; run the deploy again"));
            default -> { } // DEPLOYING: the body resumes and calls back; DONE, PASSTHROUGH: nothing is pending
        }
    }

    private void resumeWatch() {
        try {
            GuardHost guard = host();
            RollbackPoint point = guard.point(pointId);
            if (point.status() == PointStatus.INTERRUPTED) { // the ledger saw the old JVM's watcher die
                point = guard.ledger().transition(point.environment(), point.id(), PointStatus.WATCHING, "guard",
                        "watch resumed after a restart");
            }
            if (point.status() != PointStatus.WATCHING) {
                listener().getLogger().println("[rollback-guard] after the restart the point is " + point.status());
                finish(guard, new GuardOutcome(point.status() == PointStatus.GOOD ? GuardOutcome.Result.GOOD
                        : GuardOutcome.Result.BAD, point, "decided while Jenkins restarted", null, List.of(), null));
                return;
            }
            listener().getLogger().println("[rollback-guard] resuming the watch after a restart");
            runWatch(guard, guard.watch(WatchState.readBaselines(baselines), WatchState.readSnapshots(snapshots)),
                    point);
        }
        catch (Exception e) {
            getContext().onFailure(e);
        }
    }

    @Override
    public void stop(final Throwable cause) throws Exception {
        stopping = true;
        cancelDeadline();
        Watch current = watch;
        if (current != null) {
            current.stop("the build was stopped");
        }
        pool().execute(this::abortPoint);
        BodyExecution running = body;
        if (phase == Phase.DEPLOYING && running != null) {
            running.cancel(cause); // the callback then fails the step with the cause
        }
        else {
            super.stop(cause);
        }
    }

    private void abortPoint() {
        try {
            if (pointId > 0) {
                GuardHost guard = host();
                RollbackPoint point = guard.point(pointId);
                if (point.status().canMoveTo(PointStatus.ABORTED)) {
                    guard.ledger().transition(point.environment(), point.id(), PointStatus.ABORTED, "guard",
                            "the build was stopped");
                }
            }
        }
        catch (Exception e) {
            LOGGER.log(Level.WARNING, "cannot mark point " + pointId + " of " + environment + " ABORTED", e);
        }
    }

    @Override
    public String getStatus() {
        return switch (phase) {
            case PREPARING -> "preparing the rollback point of " + environment;
            case DEPLOYING -> "deploying to %s (point #%d)".formatted(environment, pointId);
            case WATCHING -> "watching %s (point #%d), at most %d s left".formatted(environment, pointId,
                    Math.max(0, (deadline - System.currentTimeMillis()) / 1000));
            case DONE -> "decided";
            case PASSTHROUGH -> "change-request build, not guarded";
        };
    }

    private GuardHost host() throws IOException, InterruptedException {
        GuardHost current = host;
        return current != null ? current : host(new PolicyReader().parse("persisted policy", policyText));
    }

    private GuardHost host(final Policy policy) throws IOException, InterruptedException {
        GuardHost created = new GuardHost(getContext().get(Run.class), listener(), getContext().get(FilePath.class),
                getContext().get(Launcher.class), envVars(), policy, step.isProbesFromController());
        host = created;
        return created;
    }

    private EnvVars envVars() throws IOException, InterruptedException {
        EnvVars vars = getContext().get(EnvVars.class);
        return vars == null ? new EnvVars() : vars;
    }

    private TaskListener listener() {
        try {
            TaskListener listener = getContext().get(TaskListener.class);
            return listener == null ? TaskListener.NULL : listener;
        }
        catch (IOException | InterruptedException e) {
            LOGGER.log(Level.FINE, "no build log", e);
            return TaskListener.NULL;
        }
    }

    private void saveState() {
        getContext().saveState();
    }

    private void deployFailed(final Throwable failure) {
        try {
            GuardHost guard = host();
            GuardOutcome outcome = guard.session().deployFailed(guard.point(pointId),
                    String.valueOf(failure.getMessage()), guard.reverter(guard.run()));
            listener().getLogger().printf("[rollback-guard] %s: %s%n", outcome.result(), outcome.explanation());
        }
        catch (Exception e) {
            LOGGER.log(Level.WARNING, "cannot judge the failed deploy of point " + pointId, e);
        }
        phase = Phase.DONE;
        saveState();
        getContext().onFailure(failure);
    }

    /** Hears the end of the body; hands the work to the pool, never blocking the CPS thread. */
    private final class Callback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L; // first release

        @Override
        public void onSuccess(final StepContext context, final Object result) {
            if (phase == Phase.PASSTHROUGH) {
                getContext().onSuccess(result);
                return;
            }
            pool().execute(WithRollbackGuardStepExecution.this::afterBody);
        }

        @Override
        public void onFailure(final StepContext context, final Throwable t) {
            if (phase == Phase.PASSTHROUGH || stopping) {
                getContext().onFailure(t);
                return;
            }
            pool().execute(() -> deployFailed(t));
        }
    }

    private Executor pool() {
        Executor bound = pool;
        if (bound == null) {
            bound = SamplePool.executor();
            pool = bound;
        }
        return bound;
    }
}
