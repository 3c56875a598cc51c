package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Path;
import java.util.concurrent.Executor;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * What a guard session needs from its host.
 *
 * @param ledger
 *         the ledger
 * @param backups
 *         the backup store
 * @param artifacts
 *         tells which artifacts are present
 * @param secrets
 *         resolves secret names
 * @param runner
 *         runs commands (probes, hooks, data version)
 * @param scheduler
 *         time and timers
 * @param executor
 *         a small bounded pool for samples
 * @param listener
 *         receives progress lines
 * @param notifier
 *         tells webhooks
 * @param lockDirectory
 *         where deploy locks live
 */
public record GuardServices(Ledger ledger, BackupStore backups, ArtifactStore artifacts, SecretSource secrets,
                            CommandRunner runner, Scheduler scheduler, Executor executor, GuardListener listener,
                            Notifier notifier, Path lockDirectory) {
}
