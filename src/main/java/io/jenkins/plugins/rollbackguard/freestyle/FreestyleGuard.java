package io.jenkins.plugins.rollbackguard.freestyle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.FilePath;
import hudson.model.Queue;
import hudson.model.Run;
import jenkins.model.CauseOfInterruption;
import jenkins.model.InterruptedBuildAction;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.guard.CallerLoop;
import io.jenkins.plugins.rollbackguard.engine.guard.DeployRequest;
import io.jenkins.plugins.rollbackguard.engine.guard.FileChecks;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardMachine;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Interruption;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.RevertPlan;
import io.jenkins.plugins.rollbackguard.engine.guard.Reverter;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.jenkins.AgentBackupTaker;
import io.jenkins.plugins.rollbackguard.jenkins.AgentFileChecks;
import io.jenkins.plugins.rollbackguard.jenkins.WorkPool;
import io.jenkins.plugins.rollbackguard.steps.KeepGoodBuilds;
import io.jenkins.plugins.rollbackguard.steps.RevertingBuilds;
import io.jenkins.plugins.rollbackguard.util.JenkinsFacade;

/**
 * The guarded deploy of one freestyle build to one environment, driven as a blocking driver of the engine's
 * {@link GuardMachine} from the build's own executor thread, which waits in a {@link CallerLoop}; the machine's work
 * runs on the plugin's {@link WorkPool}. {@link RecordRollbackPointBuilder} starts it (the lease, preflight, the point, baselines,
 * backups) and keeps it on the build ({@link FreestyleGuardAction}, a transient field); {@link RollbackGuardRecorder}
 * reports the end of the deploy steps and awaits the verdict; {@link UnwatchedDeploys} reports the end of a build
 * whose recorder never took it.
 *
 * <p>Samples and their timers stay on the freestyle sample pool ({@link FreestyleServices}); backups, hooks and
 * ledger writes run on the work pool, never on the build's thread. Jenkins stops a freestyle build by interrupting
 * that thread ({@code Executor.interrupt}), at any moment: an interrupt that reached a ledger write would close its
 * file channel and fail the write (and every write after it on that thread), leaving the point half decided. So the
 * build's thread only waits; the loop hears the interrupt and this guard tells the machine, for the cause the executor recorded (a person, a timeout) or for
 * Jenkins stopping. The machine then decides: a deliberate stop aborts the point (nothing reverted, circuit
 * unchanged), any other freezes the environment.</p>
 */
final class FreestyleGuard {
    private final Run<?, ?> run;
    private final GuardFields fields;
    private final GuardSession session;
    private final Policy policy;
    /** The build's PATH: preflight looks for programs where the build's launcher will run them. */
    @CheckForNull
    private final String searchPath;
    private final CallerLoop loop = new CallerLoop();
    /** The machine's work: apart from the build's thread, which Jenkins interrupts (see the class comment). */
    private final Executor work = WorkPool.executor();
    private final GuardMachine machine;
    private final JenkinsFacade jenkins;
    @CheckForNull
    private volatile RollbackPoint deploying;

    /**
     * Builds the guard of a build; nothing runs until {@link #start}.
     *
     * @param run
     *         the build
     * @param workspace
     *         its workspace (backups run where it is)
     * @param services
     *         the ports for this build
     * @param policy
     *         the policy, with the builder's fields applied
     * @param fields
     *         the builder's fields, which the recorder's are compared with
     */
    FreestyleGuard(final Run<?, ?> run, final FilePath workspace, final FreestyleServices services, final Policy policy,
            final GuardFields fields) {
        this.run = run;
        this.fields = fields;
        this.jenkins = new JenkinsFacade();
        this.session = services.session(policy);
        this.policy = policy;
        this.searchPath = services.searchPath();
        this.machine = session.machine(new Host(workspace, policy));
    }

    /** @return the environment, as the builder named it */
    String environment() {
        return fields.getEnvironment();
    }

    /** @return the builder's fields */
    GuardFields fields() {
        return fields;
    }

    /**
     * Starts the guarded deploy and waits, serving the machine on this thread, until the deploy may run or must not.
     *
     * @param request
     *         what is deployed
     * @return {@link GuardMachine.Deploy} (run the deploy steps now) or {@link GuardMachine.Done}
     * @throws io.jenkins.plugins.rollbackguard.engine.guard.GuardRefusedException
     *         if preflight or the lease refuse
     */
    GuardMachine.Step start(final DeployRequest request) {
        GuardMachine.Step step = loop.await(machine.start(request, false), this::stopAsked);
        if (step instanceof GuardMachine.Deploy deploy) {
            deploying = deploy.point();
        }
        return step;
    }

    /**
     * Reports how the deploy steps ended and waits, serving the machine on this thread, for the verdict (the watch
     * holds this build's executor).
     *
     * @param end
     *         how they ended, from the engine's {@link io.jenkins.plugins.rollbackguard.engine.guard.DeployStepsResult}
     * @return the outcome
     */
    GuardOutcome end(final GuardMachine.DeployEnd end) {
        RollbackPoint point = deploying;
        if (point == null) {
            throw new IllegalStateException("the deploy of " + run.getExternalizableId() + " was not started");
        }
        GuardMachine.Step step = loop.await(machine.deployEnded(point, end), this::stopAsked);
        deploying = null;
        return ((GuardMachine.Done) step).outcome();
    }

    /**
     * Keeps the builds of the environment's last good points and its tripped builds from the build discarder after a
     * verdict, as the Pipeline step does: a freestyle revert schedules the target build again by its number, so a
     * discarded good build cannot be returned to, and a tripped build is the evidence of its incident. Run.keepLog
     * checks Run.UPDATE and saves build.xml, so this runs on the work pool as SYSTEM, not on the build's thread (whose
     * authentication may lack UPDATE, and which an abort interrupts mid-write).
     */
    void keepBuilds() {
        work.execute(() -> new KeepGoodBuilds().protect(session.services().ledger(), policy));
    }

    /** @return the cause the machine was stopped for, or null */
    @CheckForNull
    Interruption stopCause() {
        return machine.stopCause();
    }

    /**
     * Tells the machine that the build was stopped (its thread interrupted): for the causes the executor recorded,
     * or because Jenkins stops. Once only: later interrupts are the machine's own, or repeats.
     */
    private void stopAsked() {
        if (machine.stopCause() != null) {
            return;
        }
        hudson.model.Executor executor = hudson.model.Executor.currentExecutor();
        List<CauseOfInterruption> causes = executor == null ? List.of()
                : new ArrayList<>(executor.getCausesOfInterruption()); // a Vector: copied under its lock
        String detail = describe(causes);
        machine.interrupt(classify(jenkins.isTerminating(), causes), detail.isEmpty()
                ? Messages.FreestyleGuard_Stopped(run.getFullDisplayName()) : detail);
    }

    /** @return the causes Jenkins recorded on a build it interrupted (who aborted it), in order; none if it was not */
    static List<CauseOfInterruption> recordedCauses(final Run<?, ?> run) {
        return run.getActions(InterruptedBuildAction.class).stream().flatMap(action -> action.getCauses().stream())
                .toList();
    }

    /** @return the causes' short descriptions ("Aborted by alice"), or an empty string */
    static String describe(final List<CauseOfInterruption> causes) {
        return causes.stream().map(CauseOfInterruption::getShortDescription).collect(Collectors.joining("; "));
    }

    /**
     * Classifies why a build was stopped: Jenkins stopping leaves the deploy's end unknown; a cause that names a
     * timeout (build-timeout's) is one; anything else stopped on purpose is a person's.
     */
    static Interruption classify(final boolean jenkinsStopping, final List<CauseOfInterruption> causes) {
        if (jenkinsStopping) {
            return Interruption.HOST_STOPPED;
        }
        boolean timeout = causes.stream().anyMatch(cause -> cause.getClass().getName().toLowerCase(Locale.ROOT)
                .contains("timeout"));
        return timeout ? Interruption.TIMEOUT : Interruption.USER;
    }

    /** Carries out the guard's revert plan by scheduling a reverting build; its own guard reports the outcome. */
    private GuardOutcome scheduleRevert(final RevertPlan.Revert plan) {
        RollbackPoint target = plan.target();
        Optional<Run<?, ?>> targetBuild = jenkins.getBuild(target.source().job(), target.source().build());
        Optional<Queue.Item> item = targetBuild.flatMap(build -> RevertingBuilds.schedule(build, run,
                target.environment().value(), target.id(), plan.reason(), "guard"));
        if (item.isEmpty()) {
            return new GuardOutcome(GuardOutcome.Result.REVERT_FAILED, plan.leaving(),
                    Messages.RollbackGuardRecorder_NotScheduled(target.label()), null, List.of(), null);
        }
        return new GuardOutcome(GuardOutcome.Result.REVERTING, plan.leaving(),
                Messages.RollbackGuardRecorder_Scheduled(target.label()), null, List.of(), null);
    }

    /** What the build does for its machine. */
    private final class Host implements GuardMachine.Host {
        private final FilePath workspace;
        private final Policy policy;
        /** The engine's own host for what runs on the controller: one rule for taking and finding a backup by key. */
        private final GuardMachine.Host controller;

        Host(final FilePath workspace, final Policy policy) {
            this.workspace = workspace;
            this.policy = policy;
            this.controller = session.localHost(FreestyleGuard.this::scheduleRevert, work);
        }

        @Override
        public Probe probe(final ProbeSpec spec) {
            return session.probes().create(spec); // commands through the build's launcher, HTTP from the controller
        }

        /**
         * Takes a backup where the build runs: on an agent into the shared backup root, else on the controller.
         * An abort of the build interrupts the build's thread, which tells the machine; the machine records the
         * stop, then interrupts this work thread (its process is killed), so that it aborts instead of recording a
         * failed backup.
         */
        @Override
        public BackupManifest takeBackup(final BackupSpec spec, final String key) {
            // on the work pool: a stop reaches it through the machine, which interrupts this thread only here
            GuardServices services = session.services();
            if (workspace.isRemote()) {
                return new AgentBackupTaker(workspace, RollbackGuardConfiguration.get().getEffectiveBackupRoot()
                        .toString(), policy.environment().value(), services.secrets(), services.listener())
                        .take(spec, key);
            }
            return controller.takeBackup(spec, key);
        }

        @Override
        public Optional<BackupManifest> findBackup(final BackupSpec spec, final String key) {
            return controller.findBackup(spec, key);
        }

        @Override
        public Reverter reverter() {
            return FreestyleGuard.this::scheduleRevert;
        }

        @Override
        public Executor work() {
            return work;
        }

        @Override
        public boolean deployResumes() {
            return false; // a freestyle build's steps do not survive a restart of Jenkins
        }

        /** With a node the commands and backups run on it, and are checked there; without one, here. */
        @Override
        public FileChecks.Result checkFiles(final Policy checked) {
            return workspace == null ? GuardMachine.Host.super.checkFiles(checked)
                    : AgentFileChecks.check(workspace, checked, searchPath);
        }
    }
}
