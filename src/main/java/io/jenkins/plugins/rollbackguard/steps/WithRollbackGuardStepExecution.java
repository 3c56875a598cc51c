package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import jenkins.model.CauseOfInterruption;
import jenkins.model.InterruptedBuildAction;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.guard.BodyDriver;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardMachine;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.KeptBuilds;
import io.jenkins.plugins.rollbackguard.engine.guard.OutcomeVariables;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Interruption;
import io.jenkins.plugins.rollbackguard.engine.guard.InterruptionCauses;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.jenkins.BuildArtifactStore;
import io.jenkins.plugins.rollbackguard.jenkins.BuildLogTail;
import io.jenkins.plugins.rollbackguard.jenkins.WorkPool;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;
import io.jenkins.plugins.rollbackguard.util.RollbackGuardHome;

/**
 * Runs {@code withRollbackGuard} as an asynchronous driver of the engine's guard machine ({@link BodyDriver}): the
 * machine decides everything about the deploy (lease, preflight, record, baselines, backups, watch, verdict,
 * revert) and writes where it stands to the ledger; this class maps Jenkins events onto it.
 *
 * <ul>
 *     <li>{@link #start()} (CPS VM thread: no I/O) hands the preparation to the {@link WorkPool}; there the Jenkins
 *     facts become a request ({@link GuardPreparation}) and the machine starts. Its blocking work runs on the work
 *     pool, its samples on the sample pool, its lease waits on the timer: no thread is held while it waits.</li>
 *     <li>When the machine asks, the body starts with the guard's variables; its end is mapped to the machine's:
 *     success is a finished deploy, a {@link FlowInterruptedException} an interruption classified by
 *     {@link InterruptionCauses} (a person, a {@code timeout} or a newer build abort the point; a lost agent freezes
 *     the environment), anything else a failed deploy. CPS stops only the innermost step on an abort or an
 *     enclosing {@code timeout}, so the body's own interruption, not {@link #stop}, is what usually arrives.</li>
 *     <li>{@link #stop} classifies its cause the same way, interrupts the machine and cancels the body.</li>
 *     <li>{@link #onResume()} rebuilds the machine from the ledger, which wins over anything restored from
 *     {@code program.dat}: it waits for the resumed body, starts a body that never launched, goes on watching, or
 *     ends the step with the outcome recorded before the restart.</li>
 * </ul>
 *
 * <p>Persisted: the environment, the point id, the policy text, the body, and what the body needs and reported
 * (its variables, whether it launched and how it ended: a restart after the body ended but before the machine wrote
 * WATCHING must not lose that end). Everything else is transient and rebuilt.</p>
 */
public class WithRollbackGuardStepExecution extends AbstractStepExecutionImpl {
    private static final long serialVersionUID = 1L; // first release
    private static final Logger LOGGER = Logger.getLogger(WithRollbackGuardStepExecution.class.getName());

    private final WithRollbackGuardStep step;
    private volatile String environment = "";
    private volatile long pointId;
    private volatile String policyText = "";
    @CheckForNull
    private volatile BodyExecution body;
    /** The body's variables (a HashMap: serialisable as it is), once prepared. */
    @CheckForNull
    private volatile HashMap<String, String> variables;
    private volatile boolean bodyLaunched;
    /** How the body ended ({@link BodyDriver#write}), until the ledger has it. */
    @CheckForNull
    private volatile String bodyEnd;
    /** A change-request build runs the body unguarded. */
    private volatile boolean passthrough;

    /** The driver of this step's machine; rebuilt from the fields above after a restart. */
    @CheckForNull
    private transient BodyDriver driver;
    /** The causes of the interruption that ended the body or was handed to {@link #stop}, for the step's end. */
    @CheckForNull
    private transient volatile FlowInterruptedException interruption;
    /** What {@link #stop} was given: a body cancelled for a stop ends with it. */
    @CheckForNull
    private transient Throwable stopCause; // guarded by this
    /** A cancel asked before the body's execution was at hand. */
    @CheckForNull
    private transient String pendingCancel; // guarded by this
    private transient AtomicBoolean ended;
    /** The policy the machine runs with (the ledger's copy after a restart). */
    @CheckForNull
    private transient volatile Policy active;
    /**
     * The work pool of the Jenkins session this object lives in. An execution restored after a restart gets the new
     * session's; the old object keeps the ended session's, which drops its tasks, so it cannot act again.
     */
    @CheckForNull
    private transient volatile Executor work;

    WithRollbackGuardStepExecution(final StepContext context, final WithRollbackGuardStep step) {
        super(context);
        this.step = step;
    }

    @Override
    public boolean start() {
        work().execute(this::begin);
        return false;
    }

    /** Prepares the request and starts the machine, or resumes the one this step recorded before a restart. */
    private void begin() {
        try {
            Run<?, ?> run = getContext().get(Run.class);
            FilePath workspace = getContext().get(FilePath.class);
            PolicyResolver resolver = new PolicyResolver(RollbackGuardConfiguration.get());
            Policy policy = resolver.resolve(step, workspace);
            resolver.globalDefaultsTaken().ifPresent(taken -> listener().getLogger().println("[rollback-guard] " + taken));
            environment = policy.environment().value();
            if (new ChangeRequests().isChangeRequest(run) && !step.isAllowChangeRequests()) {
                listener().getLogger().println("[rollback-guard] change-request build: no rollback point is recorded "
                        + "and nothing is reverted (allowChangeRequests: false)");
                passthrough = true;
                saveState();
                startBody(Map.of());
                return;
            }
            GuardPreparation preparation = new GuardPreparation(step, run);
            Policy effective = preparation.effectivePolicy(policy);
            policyText = new PolicyReader().mapper().writeValueAsString(effective);
            GuardHost guard = host(effective);
            String node = nodeId();
            GuardPreparation.Prepared prepared = preparation.prepare(guard, getContext().get(EnvVars.class), node);
            variables = new HashMap<>(prepared.variables());
            saveState();
            LedgerFacade ledgers = new LedgerFacade();
            Optional<RollbackPoint> recorded = preparation.recorded(ledgers.getLedger(), ledgers.getIndex(),
                    effective.environment(), node);
            if (recorded.isPresent()) { // this step recorded it before a restart, which lost the point id
                pointId = recorded.get().id();
                saveState();
                listener().getLogger().printf("[rollback-guard] found point #%d of this step after a restart%n",
                        pointId);
                driver().resume(guard.machine(), recorded.get());
            }
            else {
                driver().start(guard.machine(), prepared.request());
            }
        }
        catch (Exception e) { // before the machine: it recorded nothing
            end(() -> getContext().onFailure(e));
        }
    }

    @Override
    public void onResume() { // no super.onResume(): it only performs the deprecated Guice injection
        if (passthrough) {
            return; // the body resumes and ends the step itself
        }
        work().execute(this::resume);
    }

    private void resume() {
        try {
            if (pointId == 0) { // restarted before the point id was saved: find the point, or start afresh
                begin();
                return;
            }
            RollbackPoint recorded = new LedgerFacade().getLedger().point(EnvironmentName.of(environment), pointId);
            String kept = recorded.attributes().get(GuardSession.POLICY); // the ledger's copy wins
            Policy policy = new PolicyReader().parse("policy of point #" + pointId, kept != null ? kept : policyText);
            GuardHost guard = host(policy);
            listener().getLogger().printf("[rollback-guard] resuming the guard of point #%d in %s after a restart%n",
                    pointId, environment);
            driver().resume(guard.machine(), recorded);
        }
        catch (Exception e) { // the ledger or the node is gone: nothing to drive
            end(() -> getContext().onFailure(e));
        }
    }

    @Override
    public void stop(final Throwable cause) {
        // CPS VM thread (within CpsThread.stop's 30 s): classify in memory, hand the rest to the work pool
        synchronized (this) {
            if (stopCause == null) {
                stopCause = cause;
            }
        }
        if (passthrough) {
            BodyExecution running = body;
            if (running == null || !running.cancel(cause)) {
                end(() -> getContext().onFailure(cause));
            }
            return;
        }
        if (cause instanceof FlowInterruptedException flow && interruption == null) {
            interruption = flow;
        }
        driver().stop(classify(cause), cause.getMessage());
    }

    @Override
    public String getStatus() {
        if (passthrough) {
            return "change-request build, not guarded";
        }
        if (pointId == 0) {
            return "preparing the guard of " + environment;
        }
        return (bodyLaunched && bodyEnd == null ? "deploying to %s (point #%d)" : "guarding %s (point #%d)")
                .formatted(environment, pointId);
    }

    // ---- the body

    private void startBody(final Map<String, String> values) throws IOException, InterruptedException {
        EnvironmentExpander expander = EnvironmentExpander.merge(getContext().get(EnvironmentExpander.class),
                EnvironmentExpander.constant(values));
        BodyExecution started = getContext().newBodyInvoker().withContext(expander).withCallback(new Callback()).start();
        String cancel;
        synchronized (this) {
            body = started;
            cancel = pendingCancel;
        }
        saveState();
        if (cancel != null) {
            cancelBody(cancel);
        }
    }

    private void cancelBody(final String reason) {
        BodyExecution running;
        Throwable cause;
        synchronized (this) {
            running = body;
            cause = stopCause;
            if (running == null) {
                pendingCancel = reason; // its start is under way: it is cancelled as soon as it is at hand
                return;
            }
        }
        running.cancel(cause != null ? cause
                : new FlowInterruptedException(Result.ABORTED, true, new GuardStopCause(reason)));
    }

    /** Maps how the body ended onto the machine's events; in memory, as it runs on the CPS VM thread. */
    private GuardMachine.DeployEnd endOf(final Throwable failure) {
        if (failure instanceof FlowInterruptedException flow) {
            interruption = flow;
            return new GuardMachine.Interrupted(classify(flow), flow.getMessage());
        }
        Optional<Interruption> lost = InterruptionCauses.ofFailure(InterruptionCauses.namesOf(failure));
        return lost.<GuardMachine.DeployEnd>map(cause -> new GuardMachine.Interrupted(cause, failure.getMessage()))
                .orElseGet(() -> new GuardMachine.Failed(String.valueOf(failure.getMessage())));
    }

    /** Extracts the class names for the engine's classifier. */
    private Interruption classify(final Throwable cause) {
        if (!(cause instanceof FlowInterruptedException flow)) {
            return InterruptionCauses.ofFailure(InterruptionCauses.namesOf(cause)).orElse(Interruption.OTHER);
        }
        List<CauseOfInterruption> causes = flow.getCauses();
        if (causes.isEmpty()) { // "terminate" sends none: the stop button recorded its causes on the build
            causes = recordedCauses();
        }
        List<String> names = new ArrayList<>();
        causes.forEach(c -> names.addAll(InterruptionCauses.hierarchy(c.getClass())));
        names.addAll(InterruptionCauses.namesOf(flow));
        return InterruptionCauses.classify(names, flow.getResult().toString());
    }

    private List<CauseOfInterruption> recordedCauses() {
        try {
            Run<?, ?> run = getContext().get(Run.class);
            List<CauseOfInterruption> recorded = new ArrayList<>();
            if (run != null) {
                run.getActions(InterruptedBuildAction.class).forEach(action -> recorded.addAll(action.getCauses()));
            }
            return recorded;
        }
        catch (IOException | InterruptedException e) {
            LOGGER.log(Level.FINE, "no build to read the causes of an interruption from", e);
            return List.of();
        }
    }

    /** Hears the body; runs on the CPS VM thread: records, classifies in memory and hands over. */
    private final class Callback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L; // first release

        @Override
        public void onStart(final StepContext context) {
            if (!passthrough) {
                driver().started();
            }
        }

        @Override
        public void onSuccess(final StepContext context, final Object result) {
            if (passthrough) {
                end(() -> getContext().onSuccess(result));
                return;
            }
            keepDeployOutput();
            driver().ended(new GuardMachine.Finished());
        }

        @Override
        public void onFailure(final StepContext context, final Throwable t) {
            if (passthrough) {
                end(() -> getContext().onFailure(t));
                return;
            }
            keepDeployOutput();
            driver().ended(endOf(t));
        }
    }

    /**
     * Keeps the build log's tail, the deploy's output in Jenkins, among the point's files for the evidence of a trip.
     * Called on the CPS VM thread, so the read and the write go to the work pool; queued before the machine hears the
     * body's end, so it runs before the watch's first sample can trip.
     */
    private void keepDeployOutput() {
        long id = pointId;
        String env = environment;
        if (id <= 0 || env == null) {
            return;
        }
        work().execute(() -> {
            try {
                Run<?, ?> run = getContext().get(Run.class);
                new BuildArtifactStore(new RollbackGuardHome().getPointFilesRoot(env)).pointFiles(id)
                        .ifPresent(dir -> BuildLogTail.keep(run, dir));
            }
            catch (IOException | InterruptedException e) {
                LOGGER.log(Level.FINE, "no build to keep the log of", e);
            }
        });
    }

    // ---- the machine's side: what the driver asks of this step

    private synchronized BodyDriver driver() {
        if (driver == null) {
            driver = new BodyDriver(new Glue(), work(), bodyLaunched, bodyEnd);
            try {
                LiveGuards.add(getContext().get(Run.class), driver); // a killed build stops it (no stop() comes)
            }
            catch (IOException | InterruptedException e) {
                LOGGER.log(Level.FINE, "no build for the guard", e);
            }
        }
        return driver;
    }

    /** Carries out what the driver asks. */
    private final class Glue implements BodyDriver.Body {
        @Override
        public void start(final RollbackPoint point) {
            pointId = point.id();
            HashMap<String, String> values = variables == null ? new HashMap<>() : new HashMap<>(variables);
            values.put(GuardPreparation.POINT, Long.toString(point.id()));
            variables = values;
            try {
                startBody(values);
            }
            catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the body", e);
            }
        }

        @Override
        public void cancel(final String reason) {
            listener().getLogger().println("[rollback-guard] stopping the body: " + reason);
            cancelBody(reason);
        }

        @Override
        public void remember(final boolean launched, final String end) {
            bodyLaunched = launched;
            bodyEnd = end;
            saveState();
        }

        @Override
        public void done(final GuardOutcome outcome) {
            if (outcome.point() != null) {
                pointId = outcome.point().id();
            }
            listener().getLogger().printf("[rollback-guard] %s: %s%n", outcome.result(), outcome.explanation());
            HashMap<String, Object> facts = new HashMap<>(tell(outcome)); // what the step returns: serialisable
            if (outcome.result() != GuardOutcome.Result.GOOD && outcome.point() != null
                    && KeptBuilds.tripped(outcome.point())) {
                keepTrippedBuild(policy());
            }
            switch (outcome.result()) {
                case GOOD -> {
                    new KeepGoodBuilds().protect(new LedgerFacade().getLedger(), policy());
                    end(() -> getContext().onSuccess(facts));
                }
                case INCONCLUSIVE -> end(() -> {
                    getContext().setResult(Result.UNSTABLE);
                    getContext().onSuccess(facts);
                });
                case ABORTED -> end(() -> getContext().onFailure(driver().interruptionOf(outcome).isPresent()
                        ? aborted(outcome) // an abort is an abort, not a failure
                        : new AbortException("[rollback-guard] ABORTED: " + outcome.explanation())));
                default -> end(() -> getContext().onFailure(new AbortException("[rollback-guard] %s: %s"
                        .formatted(outcome.result(), outcome.explanation()))));
            }
        }

        @Override
        public void failed(final Throwable failure) {
            end(() -> getContext().onFailure(failure instanceof AbortException ? failure
                    : new AbortException("[rollback-guard] " + failure.getMessage())));
        }
    }

    /**
     * Sets the block's outcome as build variables named per environment for the steps after it, and returns the facts
     * the step gives a Scripted pipeline; both from the engine's {@link OutcomeVariables}.
     */
    private Map<String, Object> tell(final GuardOutcome outcome) {
        EnvironmentName env = environment != null ? EnvironmentName.of(environment) : policy().environment();
        try {
            GuardOutcomeAction.record(getContext().get(Run.class), OutcomeVariables.of(env, outcome));
        }
        catch (IOException | InterruptedException e) {
            LOGGER.log(Level.FINE, "no build to set the outcome's variables on", e);
        }
        return OutcomeVariables.facts(env, outcome);
    }

    /**
     * Keeps the tripped build (this one) from the build discarder as long as its point: keepLog saves the build, so
     * it runs on the work pool, never on the CPS VM thread this may be called on.
     */
    private static void keepTrippedBuild(final Policy policy) {
        WorkPool.executor().execute(() -> new KeepGoodBuilds().protect(new LedgerFacade().getLedger(), policy));
    }

    /** The step's end for an aborted deploy: the original causes, with their result (NOT_BUILT for a newer build). */
    private FlowInterruptedException aborted(final GuardOutcome outcome) {
        FlowInterruptedException original = interruption;
        if (original != null && !original.getCauses().isEmpty()) {
            return new FlowInterruptedException(original.getResult(), true,
                    original.getCauses().toArray(new CauseOfInterruption[0]));
        }
        return new FlowInterruptedException(original != null ? original.getResult() : Result.ABORTED, true,
                new GuardStopCause(outcome.explanation()));
    }

    private Policy policy() {
        Policy known = active;
        return known != null ? known : new PolicyReader().parse("persisted policy", policyText);
    }

    // ---- plumbing

    private GuardHost host(final Policy policy) throws IOException, InterruptedException {
        active = policy;
        EnvVars vars = getContext().get(EnvVars.class);
        return new GuardHost(getContext().get(Run.class), listener(), getContext().get(FilePath.class),
                getContext().get(Launcher.class), vars == null ? new EnvVars() : vars, policy,
                step.isProbesFromController(), work());
    }

    private String nodeId() throws IOException, InterruptedException {
        FlowNode node = getContext().get(FlowNode.class);
        return node == null ? "" : node.getId();
    }

    /** Ends the step once: the driver, a failed preparation and a passed-through body may each try. */
    private void end(final Runnable completion) {
        AtomicBoolean once;
        synchronized (this) {
            if (ended == null) {
                ended = new AtomicBoolean();
            }
            once = ended;
        }
        if (once.compareAndSet(false, true)) {
            BodyDriver ending;
            synchronized (this) {
                ending = driver;
            }
            if (ending != null) {
                try {
                    LiveGuards.remove(getContext().get(Run.class), ending);
                }
                catch (IOException | InterruptedException e) {
                    LOGGER.log(Level.FINE, "no build for the guard", e);
                }
            }
            completion.run();
        }
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

    private Executor work() {
        Executor bound = work;
        if (bound == null) {
            bound = WorkPool.executor();
            work = bound;
        }
        return bound;
    }
}
