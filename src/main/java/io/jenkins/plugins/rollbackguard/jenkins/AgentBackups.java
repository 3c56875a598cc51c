package io.jenkins.plugins.rollbackguard.jenkins;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import jenkins.MasterToSlaveFileCallable;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * Takes one backup on the agent of the enclosing {@code node}: the serialisable {@link BackupSpec} travels in a
 * {@link MasterToSlaveFileCallable} that runs the engine's {@link BackupStore} there. The store root must be a path
 * the agent can write and a later build (maybe on another agent) can read: a shared mount named in the global
 * configuration. The default, {@code JENKINS_HOME/rollback-guard/backups}, only works for builds on the
 * controller's own node (see docs/pipeline.md).
 */
public final class AgentBackups {
    private AgentBackups() {
    }

    /**
     * Takes a backup on the agent that holds the workspace.
     *
     * @param workspace
     *         the workspace, which names the agent
     * @param storeRoot
     *         the backup store root, as the agent sees it
     * @param environment
     *         the environment
     * @param spec
     *         what to back up
     * @param secrets
     *         the secrets the backup uses, resolved on the controller, by name
     * @param label
     *         recorded in the manifest
     * @return the manifest, or the failure, with the lines the engine printed
     * @throws InterruptedException
     *         if the build is interrupted
     */
    public static Result take(final FilePath workspace, final String storeRoot, final String environment,
                              final BackupSpec spec, final Map<String, String> secrets, final String label)
            throws InterruptedException {
        try {
            return workspace.act(new TakeOnAgent(storeRoot, environment, spec, secrets, label));
        }
        catch (IOException e) {
            return new Result(null, "the agent could not take the backup: " + e.getMessage(), List.of());
        }
    }

    /**
     * Finds a backup committed under a key on the agent that holds the workspace: a guard machine resumed after a
     * restart adopts the backup it had started (the key is the backup's label) instead of taking it again.
     *
     * @param workspace
     *         the workspace, which names the agent
     * @param storeRoot
     *         the backup store root, as the agent sees it
     * @param environment
     *         the environment
     * @param key
     *         the key the backup was taken under
     * @return the committed manifest, if any
     * @throws IOException
     *         if the agent cannot be asked
     * @throws InterruptedException
     *         if the build is interrupted
     */
    public static Optional<BackupManifest> find(final FilePath workspace, final String storeRoot,
                                                final String environment, final String key)
            throws IOException, InterruptedException {
        return Optional.ofNullable(workspace.act(new FindOnAgent(storeRoot, environment, key)));
    }

    /**
     * What the agent answers.
     *
     * @param manifest
     *         the manifest of the committed backup, or null when it failed
     * @param failure
     *         why it failed, or null
     * @param lines
     *         the progress lines, to replay on the build log
     */
    public record Result(@CheckForNull BackupManifest manifest, @CheckForNull String failure, List<String> lines)
            implements Serializable {
        private static final long serialVersionUID = 1L; // first release
    }

    /** Looks a committed backup up by its label in the engine's backup store on the agent. */
    private static final class FindOnAgent extends MasterToSlaveFileCallable<BackupManifest> {
        private static final long serialVersionUID = 1L; // first release

        private final String storeRoot;
        private final String environment;
        private final String key;

        FindOnAgent(final String storeRoot, final String environment, final String key) {
            super();
            this.storeRoot = storeRoot;
            this.environment = environment;
            this.key = key;
        }

        @Override
        @CheckForNull
        public BackupManifest invoke(final File dir, final VirtualChannel channel) {
            return new BackupStore(Path.of(storeRoot)).list(environment).stream()
                    .filter(manifest -> key.equals(manifest.label())).findFirst().orElse(null);
        }
    }

    /** Runs the engine's backup store on the agent. */
    private static final class TakeOnAgent extends MasterToSlaveFileCallable<Result> {
        private static final long serialVersionUID = 1L; // first release

        private final String storeRoot;
        private final String environment;
        private final BackupSpec spec;
        private final HashMap<String, String> secrets;
        private final String label;

        TakeOnAgent(final String storeRoot, final String environment, final BackupSpec spec,
                    final Map<String, String> secrets, final String label) {
            super();
            this.storeRoot = storeRoot;
            this.environment = environment;
            this.spec = spec;
            this.secrets = new HashMap<>(secrets);
            this.label = label;
        }

        @Override
        public Result invoke(final File dir, final VirtualChannel channel) {
            List<String> lines = new ArrayList<>();
            GuardListener collect = new GuardListener() {
                @Override
                public void info(final String line) {
                    lines.add(line);
                }

                @Override
                public void error(final String line) {
                    lines.add("[-ERROR-] " + line);
                }
            };
            BackupContext context = new BackupContext(SecretSource.of(secrets), new LocalCommandRunner(),
                    new AgentProbe.ClockOnly(), collect, label);
            try {
                BackupManifest manifest = new BackupStore(Path.of(storeRoot)).take(environment, spec, context);
                return new Result(manifest, null, lines);
            }
            catch (RuntimeException e) {
                return new Result(null, e.getMessage(), lines);
            }
        }
    }
}
