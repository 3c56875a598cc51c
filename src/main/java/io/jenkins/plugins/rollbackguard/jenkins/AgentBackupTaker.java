package io.jenkins.plugins.rollbackguard.jenkins;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import hudson.FilePath;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupException;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.CommandBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * Takes a guard's backups on the agent that holds the build's workspace, and finds them there again by key, for
 * Pipeline and freestyle builds alike: the guard machine decides what a failure means; this only carries each
 * backup to the agent ({@link AgentBackups}), with the secrets it names resolved on the controller, and replays the
 * agent's lines.
 */
public class AgentBackupTaker implements GuardSession.BackupTaker {
    private final FilePath workspace;
    private final String storeRoot;
    private final String environment;
    private final SecretSource secrets;
    private final GuardListener listener;

    /**
     * Creates the taker.
     *
     * @param workspace
     *         the build's workspace, which names the agent
     * @param storeRoot
     *         the backup store root as the agent sees it
     * @param environment
     *         the environment
     * @param secrets
     *         resolves the secrets a backup names (for the build)
     * @param listener
     *         receives the agent's lines
     */
    public AgentBackupTaker(final FilePath workspace, final String storeRoot, final String environment,
                            final SecretSource secrets, final GuardListener listener) {
        this.workspace = workspace;
        this.storeRoot = storeRoot;
        this.environment = environment;
        this.secrets = secrets;
        this.listener = listener;
    }

    @Override
    public BackupManifest take(final BackupSpec spec, final String label) {
        AgentBackups.Result result;
        try {
            result = AgentBackups.take(workspace, storeRoot, environment, spec, secrets.reveal(secretNames(spec)), label);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted while backing up " + spec.describe(), e);
        }
        result.lines().forEach(listener::info);
        if (result.manifest() == null) {
            throw new BackupException(result.failure(), null);
        }
        return result.manifest();
    }

    /**
     * Finds a backup this taker committed under a key, on the agent (a guard machine resumed after a restart
     * adopts it).
     *
     * @param key
     *         the key it was taken under (its label)
     * @return the committed manifest, if any
     * @throws BackupException
     *         if the agent cannot be asked
     */
    public Optional<BackupManifest> find(final String key) {
        try {
            return AgentBackups.find(workspace, storeRoot, environment, key);
        }
        catch (IOException e) {
            throw new BackupException("the agent could not look for backup " + key + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted while looking for backup " + key, e);
        }
    }

    private static List<String> secretNames(final BackupSpec spec) {
        if (spec instanceof PostgresBackupSpec postgres && postgres.passwordSecret() != null) {
            return List.of(postgres.passwordSecret());
        }
        if (spec instanceof MysqlBackupSpec mysql && mysql.passwordSecret() != null) {
            return List.of(mysql.passwordSecret());
        }
        if (spec instanceof CommandBackupSpec command) {
            return List.copyOf(command.secretEnvironment().values());
        }
        return List.of();
    }
}
