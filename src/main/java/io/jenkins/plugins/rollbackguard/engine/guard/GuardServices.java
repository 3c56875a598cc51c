package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.concurrent.Executor;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.engine.spi.Masker;
import io.jenkins.plugins.rollbackguard.engine.spi.ResolvedSecrets;
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
 * @param leases
 *         who this host takes environment leases as, and which recorded owners are gone
 */
public record GuardServices(Ledger ledger, BackupStore backups, ArtifactStore artifacts, SecretSource secrets,
                            CommandRunner runner, Scheduler scheduler, Executor executor, GuardListener listener,
                            Notifier notifier, LeaseOwners leases) {
    /**
     * Returns these services with every secret they resolve remembered ({@link ResolvedSecrets}), and with a runner
     * and a listener that mask all of them: what a session runs and prints cannot show a secret the run knows.
     * Services that mask already are returned as they are, so a nested revert shares the masker of its deploy.
     *
     * @return the masking services
     */
    public GuardServices masking() {
        ResolvedSecrets resolved = ResolvedSecrets.of(secrets);
        CommandRunner maskingRunner = resolved.runner(runner);
        GuardListener maskingListener = resolved.listener(listener == null ? GuardListener.silent() : listener);
        if (resolved == secrets && maskingRunner == runner && maskingListener == listener) {
            return this;
        }
        return new GuardServices(ledger, backups, artifacts, resolved, maskingRunner, scheduler, executor,
                maskingListener, notifier, leases);
    }

    /** @return the masker of every secret resolved so far, or none when these services do not remember secrets */
    public Masker masker() {
        return secrets instanceof ResolvedSecrets resolved ? resolved.masker() : Masker.none();
    }
}
