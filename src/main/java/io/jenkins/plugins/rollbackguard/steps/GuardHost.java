package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Notifier;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.RevertPlan;
import io.jenkins.plugins.rollbackguard.engine.guard.Reverter;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.health.Analysis;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSnapshot;
import io.jenkins.plugins.rollbackguard.engine.health.Auth;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Watch;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.engine.spi.OwnerLiveness;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.jenkins.AgentBackupTaker;
import io.jenkins.plugins.rollbackguard.jenkins.AgentProbe;
import io.jenkins.plugins.rollbackguard.jenkins.BuildArtifactStore;
import io.jenkins.plugins.rollbackguard.jenkins.CredentialsSecretSource;
import io.jenkins.plugins.rollbackguard.jenkins.LauncherCommandRunner;
import io.jenkins.plugins.rollbackguard.jenkins.SamplePool;
import io.jenkins.plugins.rollbackguard.jenkins.TaskListenerGuardListener;
import io.jenkins.plugins.rollbackguard.jenkins.TimerScheduler;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;
import io.jenkins.plugins.rollbackguard.util.RollbackGuardHome;

/**
 * The engine wired to one build: the ports implemented with the build's launcher, credentials, listener and
 * workspace, and a {@link GuardSession} for its policy. Live objects only: a step execution keeps it in a transient
 * field and builds it again after a restart. Blocking methods run on the {@link SamplePool}.
 */
final class GuardHost {
    private final Run<?, ?> run;
    @CheckForNull
    private final FilePath workspace;
    private final Policy policy;
    private final boolean probesFromController;
    private final GuardServices services;
    private final GuardSession session;
    private final SecretSource secrets;

    GuardHost(final Run<?, ?> run, final TaskListener listener, @CheckForNull final FilePath workspace,
              @CheckForNull final Launcher launcher, final EnvVars environment, final Policy policy,
              final boolean probesFromController) {
        this.run = run;
        this.workspace = workspace;
        this.policy = policy;
        this.probesFromController = probesFromController;
        this.secrets = new CredentialsSecretSource(run);
        GuardListener guardListener = new TaskListenerGuardListener(listener);
        CommandRunner runner = launcher == null ? GuardHost::noNode
                : new LauncherCommandRunner(launcher, environment, workspace, listener);
        RollbackGuardHome home = new RollbackGuardHome();
        TimerScheduler scheduler = new TimerScheduler();
        this.services = new GuardServices(new LedgerFacade(home).getLedger(),
                new BackupStore(RollbackGuardConfiguration.get().getEffectiveBackupRoot()), new BuildArtifactStore(),
                secrets, runner, scheduler, SamplePool.executor(), guardListener, Notifier.none(),
                // The lease is taken by GuardSession.run, which only the CLI calls; Jenkins liveness is glue work to come.
                new LeaseOwners(LeaseOwners.jenkins(run.getExternalizableId()), OwnerLiveness.never()));
        this.session = new GuardSession(services, policy, new Timeline(scheduler::now, guardListener));
    }

    private static CommandResult noNode(final io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest request) {
        throw new IllegalStateException("'%s' needs a node: put withRollbackGuard inside node { } to run commands"
                .formatted(request.describe()));
    }

    Run<?, ?> run() {
        return run;
    }

    Policy policy() {
        return policy;
    }

    GuardSession session() {
        return session;
    }

    Ledger ledger() {
        return services.ledger();
    }

    GuardListener listener() {
        return services.listener();
    }

    RollbackPoint point(final long id) {
        return ledger().point(policy.environment(), id);
    }

    /**
     * Builds the watch of the policy's probes, from fresh analyses or from persisted snapshots.
     *
     * @param baselines
     *         the baselines by probe
     * @param snapshots
     *         the persisted analyses by probe; empty for a new watch
     * @return the watch, not started
     */
    Watch watch(final Map<String, Baseline> baselines, final Map<String, AnalysisSnapshot> snapshots) {
        return session.newWatch(baselines, this::probe, snapshots);
    }

    /** @return how long a watch of the policy's probes may take, with a margin for slow samples */
    long plannedWatchMillis() {
        long longest = 0;
        for (ProbeSpec spec : policy.probes()) {
            long each = spec.analysis().initialDelayDuration().toMillis()
                    + spec.analysis().intervalDuration().toMillis() * (spec.analysis().plannedSamples() + 1);
            longest = Math.max(longest, each);
        }
        return longest + 120_000L;
    }

    private Probe probe(final ProbeSpec spec) {
        if (spec instanceof CommandProbeSpec || workspace == null || probesFromController) {
            return session.probes().create(spec); // commands through the launcher; HTTP from the controller
        }
        return new AgentProbe(spec, workspace, secrets.reveal(secretNames(spec)));
    }

    /**
     * Takes the policy's backups on the agent and records them on the point, as the engine's own backup phase
     * does on one machine.
     *
     * @param point
     *         the recorded point
     * @param storeRoot
     *         the backup store root as the agent sees it
     * @return an ABORTED outcome if a backup failed and the policy stops the deploy
     * @throws InterruptedException
     *         if the build is interrupted
     */
    Optional<GuardOutcome> takeBackupsOnAgent(final RollbackPoint point, final String storeRoot)
            throws InterruptedException {
        if (policy.backups().isEmpty()) {
            return Optional.empty();
        }
        if (workspace == null) {
            throw new IllegalStateException("backups run on an agent: put withRollbackGuard inside node { }");
        }
        return session.takeBackups(point, new AgentBackupTaker(workspace, storeRoot, policy.environment().value(),
                secrets, services.listener()));
    }

    /**
     * Returns the Jenkins reverter: it schedules a reverting build of the target point's build and reports
     * REVERTING; the reverting build's own guard judges it.
     *
     * @param bad
     *         the build being left
     * @return the reverter
     */
    Reverter reverter(final Run<?, ?> bad) {
        return plan -> revert(plan, bad);
    }

    private GuardOutcome revert(final RevertPlan.Revert plan, final Run<?, ?> bad) {
        RollbackPoint target = plan.target();
        Run<?, ?> targetRun = target.source().build() > 0
                ? bad.getParent().getBuildByNumber(target.source().build()) : null;
        if (targetRun == null) {
            return new GuardOutcome(GuardOutcome.Result.REVERT_FAILED, plan.leaving(),
                    "build %s of %s is gone".formatted(target.source().build(), target.source().job()), null,
                    List.of(), null);
        }
        return RevertingBuilds.schedule(targetRun, bad, policy.environment().value(), target.id(), plan.reason(),
                        RevertingBuilds.GUARD)
                .map(item -> new GuardOutcome(GuardOutcome.Result.REVERTING, plan.leaving(),
                        "reverting build of %s queued (%s)".formatted(targetRun.getFullDisplayName(), item.getId()),
                        null, List.of(), null))
                .orElseGet(() -> new GuardOutcome(GuardOutcome.Result.REVERT_FAILED, plan.leaving(),
                        "Jenkins refused to schedule a reverting build of " + targetRun.getFullDisplayName(), null,
                        List.of(), null));
    }

    private static List<String> secretNames(final ProbeSpec spec) {
        Auth auth = spec instanceof HttpProbeSpec http ? http.auth()
                : spec instanceof PrometheusProbeSpec prometheus ? prometheus.auth() : null;
        if (auth == null) {
            return List.of();
        }
        return java.util.stream.Stream.of(auth.bearerSecret(), auth.passwordSecret())
                .filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Copies an archived build's artifacts into the workspace (a reverting build deploys them).
     *
     * @param target
     *         the build whose artifacts are deployed again
     * @return the relative paths copied
     * @throws IOException
     *         if a file cannot be copied
     * @throws InterruptedException
     *         if interrupted
     */
    List<String> copyArtifacts(final Run<?, ?> target) throws IOException, InterruptedException {
        if (workspace == null) {
            services.listener().error("outside node the target's artifacts are not copied: deploy build #%d's "
                    .formatted(target.getNumber()) + "artifacts yourself (ROLLBACK_GUARD_TARGET_BUILD)");
            return List.of();
        }
        List<String> copied = new java.util.ArrayList<>();
        for (Run<?, ?>.Artifact artifact : target.getArtifacts()) {
            try (java.io.InputStream in = target.getArtifactManager().root().child(artifact.relativePath).open()) {
                workspace.child(artifact.relativePath).copyFrom(in);
            }
            copied.add(artifact.relativePath);
        }
        return copied;
    }
}
