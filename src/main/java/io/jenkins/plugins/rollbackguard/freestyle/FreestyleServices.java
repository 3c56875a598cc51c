package io.jenkins.plugins.rollbackguard.freestyle;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.guard.ArtifactStore;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Notifier;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.jenkins.CredentialsSecretSource;
import io.jenkins.plugins.rollbackguard.jenkins.JenkinsLeases;
import io.jenkins.plugins.rollbackguard.jenkins.LauncherCommandRunner;
import io.jenkins.plugins.rollbackguard.jenkins.SamplePool;
import io.jenkins.plugins.rollbackguard.jenkins.TimerScheduler;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;
import io.jenkins.plugins.rollbackguard.util.RollbackGuardHome;

/**
 * Implements the engine's ports for one freestyle build: the ledger and backup store of the controller, commands
 * through the build's launcher, secrets from the build's secret-text credentials, timers on
 * {@link jenkins.util.Timer}, samples on a small pool of the plugin's own, progress into the build log, and the
 * environment's lease taken as the build ({@code jenkins:<job#build>}, dead once the build no longer runs).
 */
class FreestyleServices {
    private final TaskListener listener;
    private final GuardServices services;
    /** The build's PATH, with which its commands run (tool installers and wrappers change it), or null. */
    @CheckForNull
    private final String searchPath;

    FreestyleServices(final Run<?, ?> run, final FilePath workspace, final EnvVars environment,
            final Launcher launcher, final TaskListener listener) {
        this.listener = listener;
        this.searchPath = environment.get("PATH");
        RollbackGuardHome home = new RollbackGuardHome();
        this.services = new GuardServices(new LedgerFacade(home).getLedger(),
                new BackupStore(RollbackGuardConfiguration.get().getEffectiveBackupRoot()), new NoArtifacts(),
                new CredentialsSecretSource(run), new LauncherCommandRunner(launcher, environment, workspace, listener),
                // samples of all freestyle watches share this bounded pool; Jenkins' Timer only schedules them
                new TimerScheduler(SamplePool.freestyleExecutor()),
                SamplePool.freestyleExecutor(), guardListener(), Notifier.none(),
                JenkinsLeases.of(run));
    }

    /** @return the ports */
    GuardServices services() {
        return services;
    }

    /** @return the build's PATH, or null for the agent's own */
    @CheckForNull
    String searchPath() {
        return searchPath;
    }

    /**
     * Starts a guard session.
     *
     * @param policy
     *         the policy
     * @return the session
     */
    GuardSession session(final Policy policy) {
        return new GuardSession(services, policy, new Timeline(Instant::now, services.listener()));
    }

    private GuardListener guardListener() {
        return new GuardListener() {
            @Override
            public void info(final String line) {
                listener.getLogger().println("[rollback-guard] " + line);
            }

            @Override
            public void error(final String line) {
                listener.getLogger().println("[rollback-guard] [-ERROR-] " + line);
            }
        };
    }

    /**
     * Freestyle points carry no artifacts: a reverting build runs the target build again with its parameters and
     * revision, so there is nothing to keep.
     */
    static final class NoArtifacts implements ArtifactStore {
        @Override
        public boolean contains(final ArtifactRef artifact) {
            return false;
        }

        @Override
        public Optional<java.nio.file.Path> locate(final ArtifactRef artifact) {
            return Optional.empty();
        }

        @Override
        public int prune(final Set<String> keep) {
            return 0;
        }
    }
}
