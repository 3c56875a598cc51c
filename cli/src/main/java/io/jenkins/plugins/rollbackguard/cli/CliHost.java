package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.guard.FileArtifactStore;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.Notifier;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.ResolvedSecrets;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretFiles;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/**
 * The command line's implementation of the engine's ports, rooted in one home directory:
 * {@code ledger/}, {@code backups/}, {@code artifacts/<env>/}; environment leases are in the ledger. Secrets are environment
 * variables named by the policy; the process remembers each one it reads, and everything it prints (progress,
 * errors, the output of every command it runs) is masked with all of them.
 */
final class CliHost implements AutoCloseable {
    private static final int SAMPLE_THREADS = 4;
    /** Every secret this process resolved: one masker for all of its output, errors included. */
    private static final ResolvedSecrets SECRETS = ResolvedSecrets.of(SecretSource.environment());
    /** This process as a lease owner ({@code cli:<host>:<pid>:<start>}); a holder on this host is dead with its pid. */
    static final LeaseOwners LEASES = LeaseOwners.process();

    private final Path home;
    private final Path ledgerDir;
    private final SystemScheduler scheduler = new SystemScheduler(2);
    private final ExecutorService executor;
    private final GuardListener listener;

    CliHost(final Path home, final Path ledgerDir, final PrintWriter out) {
        this.home = home;
        this.ledgerDir = ledgerDir;
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(SAMPLE_THREADS, r -> {
            Thread thread = new Thread(r, "rollback-guard-sample-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        sweepSecretFiles();
        this.listener = SECRETS.listener(new GuardListener() {
            @Override
            public void info(final String line) {
                synchronized (out) {
                    out.println(line);
                    out.flush();
                }
            }

            @Override
            public void error(final String line) {
                synchronized (out) {
                    out.println("ERROR: " + line);
                    out.flush();
                }
            }
        });
    }

    /**
     * Masks a text with every secret this process resolved (for error messages printed outside a host).
     *
     * @param text
     *         any text
     * @return the masked text
     */
    static String mask(final String text) {
        return SECRETS.mask(text);
    }

    /** Removes the secret files of rollback-guard processes that were killed before they could (SIGKILL). */
    private static void sweepSecretFiles() {
        try {
            SecretFiles.sweep(Path.of(System.getProperty("java.io.tmpdir")));
        }
        catch (IOException | RuntimeException e) {
            // the temporary directory cannot be listed: nothing of ours can be in it either
        }
    }

    Ledger ledger() {
        return Ledger.open(ledgerDir);
    }

    BackupStore backups() {
        return new BackupStore(home.resolve("backups"));
    }

    FileArtifactStore artifacts(final EnvironmentName environment) {
        return new FileArtifactStore(home.resolve("artifacts").resolve(environment.value()));
    }

    GuardListener listener() {
        return listener;
    }

    SystemScheduler scheduler() {
        return scheduler;
    }

    GuardServices services(final EnvironmentName environment) {
        return new GuardServices(ledger(), backups(), artifacts(environment), SECRETS,
                SECRETS.runner(new LocalCommandRunner()), scheduler, executor, listener, Notifier.none(), LEASES);
    }

    /**
     * The services of a dry run: the ledger opened for reading (it creates, repairs and writes nothing) and the stores
     * only read, so that no file under the home directory is created or changed.
     *
     * @param environment
     *         the environment
     * @return services that read only
     */
    GuardServices readingServices(final EnvironmentName environment) {
        return new GuardServices(Ledger.openForReading(ledgerDir), backups(), artifacts(environment), SECRETS,
                SECRETS.runner(new LocalCommandRunner()), scheduler, executor, listener, Notifier.none(), LEASES);
    }

    /**
     * The services of a check that must leave no trace ({@code validate}): no ledger, backup store or artifact store,
     * so nothing under the home directory is opened or created.
     *
     * @return services for preflight's checks only
     */
    GuardServices checkServices() {
        return new GuardServices(null, null, null, SECRETS, SECRETS.runner(new LocalCommandRunner()), scheduler,
                executor, listener, Notifier.none(), LEASES);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        scheduler.close();
    }
}
