package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupException;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.guard.FileChecks;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardMachine;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Notifier;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.Reverter;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.health.Auth;
import io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.jenkins.AgentBackupTaker;
import io.jenkins.plugins.rollbackguard.jenkins.AgentFileChecks;
import io.jenkins.plugins.rollbackguard.jenkins.AgentProbe;
import io.jenkins.plugins.rollbackguard.jenkins.BuildArtifactStore;
import io.jenkins.plugins.rollbackguard.jenkins.CredentialsSecretSource;
import io.jenkins.plugins.rollbackguard.jenkins.JenkinsLeases;
import io.jenkins.plugins.rollbackguard.jenkins.LauncherCommandRunner;
import io.jenkins.plugins.rollbackguard.jenkins.SamplePool;
import io.jenkins.plugins.rollbackguard.jenkins.TaskListenerGuardListener;
import io.jenkins.plugins.rollbackguard.jenkins.TimerScheduler;
import io.jenkins.plugins.rollbackguard.jenkins.WorkPool;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;
import io.jenkins.plugins.rollbackguard.util.RollbackGuardHome;

/**
 * What a build does for its guard machine ({@link GuardMachine.Host}): the engine's ports implemented with the
 * build's launcher, credentials, listener and workspace, and a {@link GuardSession} for its policy. Live objects
 * only: a step execution keeps it in a transient field and builds it again after a restart.
 *
 * <ul>
 *     <li>Probes sample where the deploy's target is reached: HTTP and Prometheus probes on the agent of the
 *     enclosing {@code node} ({@link AgentProbe}) unless {@code probesFromController}, command probes through the
 *     build's launcher. The machine samples baselines through the same probes as the watch, so a relative threshold
 *     compares like with like.</li>
 *     <li>Backups are taken and found on that agent ({@link AgentBackupTaker}); the key is the backup's label.</li>
 *     <li>A revert is a reverting build ({@link RevertingBuilds#reverter}).</li>
 *     <li>Blocking work runs on the {@link WorkPool}, samples on the {@link SamplePool}; the environment's lease is
 *     taken as this build ({@link JenkinsLeases}).</li>
 *     <li>The deploy is the step's body, which survives a restart: {@link #deployResumes()}.</li>
 * </ul>
 */
final class GuardHost implements GuardMachine.Host {
    private final Run<?, ?> run;
    @CheckForNull
    private final FilePath workspace;
    private final Policy policy;
    private final boolean probesFromController;
    private final GuardSession session;
    private final GuardMachine.Host controller;
    private final Executor work;
    private final String storeRoot;
    @CheckForNull
    private final String searchPath;

    GuardHost(final Run<?, ?> run, final TaskListener listener, @CheckForNull final FilePath workspace,
              @CheckForNull final Launcher launcher, final EnvVars environment, final Policy policy,
              final boolean probesFromController, final Executor work) {
        this.run = run;
        this.workspace = workspace;
        this.policy = policy;
        this.probesFromController = probesFromController;
        this.work = work;
        this.searchPath = environment.get("PATH"); // the PATH the build's commands run with
        GuardListener guardListener = new TaskListenerGuardListener(listener);
        CommandRunner runner = launcher == null ? GuardHost::noNode
                : new LauncherCommandRunner(launcher, environment, workspace, listener);
        TimerScheduler scheduler = new TimerScheduler();
        RollbackGuardConfiguration configuration = RollbackGuardConfiguration.get();
        this.storeRoot = configuration.getEffectiveBackupRoot().toString();
        GuardServices services = new GuardServices(new LedgerFacade(new RollbackGuardHome()).getLedger(),
                new BackupStore(configuration.getEffectiveBackupRoot()),
                new BuildArtifactStore(new RollbackGuardHome().getPointFilesRoot(policy.environment().value())),
                new CredentialsSecretSource(run), runner, scheduler, SamplePool.executor(), guardListener,
                Notifier.none(), JenkinsLeases.of(run));
        this.session = new GuardSession(services, policy, new Timeline(scheduler::now, guardListener));
        this.controller = session.localHost(reverter(), work);
    }

    private static CommandResult noNode(final io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest request) {
        throw new IllegalStateException("'%s' needs a node: put withRollbackGuard inside node { } to run commands"
                .formatted(request.describe()));
    }

    /** @return a new machine for this build's policy; nothing is started */
    GuardMachine machine() {
        return session.machine(this);
    }

    Policy policy() {
        return policy;
    }

    Ledger ledger() {
        return session.services().ledger();
    }

    GuardListener listener() {
        return session.services().listener();
    }

    @Override
    public Probe probe(final ProbeSpec spec) {
        if (spec instanceof CommandProbeSpec || workspace == null || probesFromController) {
            return controller.probe(spec); // commands through the launcher (on the agent); HTTP from the controller
        }
        // the session's secret source: the values the agent gets are masked in every line the build prints
        return new AgentProbe(spec, workspace, session.services().secrets().reveal(secretNames(spec)));
    }

    @Override
    public BackupManifest takeBackup(final BackupSpec spec, final String key) {
        return onAgent().take(spec, key);
    }

    @Override
    public Optional<BackupManifest> findBackup(final BackupSpec spec, final String key) {
        return onAgent().find(key);
    }

    private AgentBackupTaker onAgent() {
        if (workspace == null) { // GuardPreparation refuses such a policy before anything is recorded
            throw new BackupException("backups run on an agent: put withRollbackGuard inside node { }");
        }
        return new AgentBackupTaker(workspace, storeRoot, policy.environment().value(), session.services().secrets(),
                session.services().listener());
    }

    @Override
    public Reverter reverter() {
        return RevertingBuilds.reverter(run, policy.environment().value());
    }

    @Override
    public Executor work() {
        return work;
    }

    /**
     * Checks the programs and files on the build's agent, where the commands, backups and hooks run; outside
     * {@code node} every program is a problem, as nothing could run it.
     */
    @Override
    public FileChecks.Result checkFiles(final Policy checked) {
        if (workspace == null) {
            return FileChecks.nowhere(checked, "runs a program, which needs a node: put withRollbackGuard inside node { }");
        }
        return AgentFileChecks.check(workspace, checked, searchPath);
    }

    /** @return true: the Pipeline body survives a restart and reports its end */
    @Override
    public boolean deployResumes() {
        return true;
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
            listener().error("outside node the target's artifacts are not copied: deploy build #%d's "
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

    /** @return whether commands and backups can run (the step is inside {@code node}) */
    boolean hasNode() {
        return workspace != null;
    }
}
