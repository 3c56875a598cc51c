package io.jenkins.plugins.rollbackguard.engine.backup;

import java.util.Objects;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * The ports a backup or restore runs with, on whatever machine holds the store: secrets by name, a process
 * runner, the time, progress output, and a label to record (such as the rollback point id). Not serialisable
 * on purpose: each host builds its own on the machine where the work runs.
 *
 * @param secrets
 *         where secrets named by a spec are looked up
 * @param runner
 *         runs pg_dump, mariadb-dump and user commands
 * @param scheduler
 *         the clock
 * @param listener
 *         receives progress lines
 * @param label
 *         recorded in the manifest; may be empty
 */
public record BackupContext(SecretSource secrets, CommandRunner runner, Scheduler scheduler, GuardListener listener,
                            String label) {
    /** Checks the values. */
    public BackupContext {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(scheduler, "scheduler");
        listener = listener == null ? GuardListener.silent() : listener;
        label = label == null ? "" : label;
    }

    /**
     * Returns a copy with another label.
     *
     * @param newLabel
     *         the label
     * @return the copy
     */
    public BackupContext withLabel(final String newLabel) {
        return new BackupContext(secrets, runner, scheduler, listener, newLabel);
    }
}
