package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.backup.RestoreTarget;
import io.jenkins.plugins.rollbackguard.engine.backup.RestoreTestResult;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard restore}: list, restore or restore-test backups. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        header = "List an environment's backups, restore one, or run a restore test.",
        description = "A backup is restored into its original place (with --policy), a scratch database or a directory; "
            + "a restore test restores into scratch space and compares checksums.",
        footerHeading = "%nExample:%n",
        footer = {"  rollback-guard restore --env production \\", "      --backup 20261201T093000Z-1a2b3c4d --test --to-database shop_check"})
final class RestoreCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment.")
    private String environment;

    @Option(names = "--backup", paramLabel = "ID", description = "The backup to restore (omit to list them).")
    private String backupId;

    @ArgGroup(exclusive = true)
    private Target target = new Target();

    @Option(names = "--test", description = "Restore into the scratch target and compare checksums, without touching the original.")
    private boolean test;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "The policy naming the backup's source: required to restore over the original source.")
    private Path policyFile;

    @Spec
    private CommandSpec spec;

    static final class Target {
        @Option(names = "--to-database", paramLabel = "NAME", description = "Restore a database backup into this scratch database.")
        private String database;

        @Option(names = "--to-dir", paramLabel = "DIR", description = "Restore a files backup into this directory.")
        private Path directory;
    }

    /** Where and how to restore over the original source come from the policy, never from the manifest. */
    private RestoreTarget original(final BackupStore store) {
        if (policyFile == null) {
            throw new IllegalArgumentException(("--policy: restoring backup %s over its original source needs the "
                    + "policy that names that source (or restore it with --to-dir or --to-database)").formatted(backupId));
        }
        Policy policy = ledgerOptions.policyReader().read(policyFile);
        BackupSpec spec = store.policySpecOf(backupId, policy.backups()).orElseThrow(() -> new IllegalArgumentException(
                ("--policy: %s names no backup of the source backup %s was taken of; restore it with --to-dir or "
                        + "--to-database, or name the policy that backs that source up").formatted(policyFile, backupId)));
        return RestoreTarget.original(spec);
    }

    @Override
    public Integer call() {
        String env = EnvironmentName.of(environment).value();
        PrintWriter out = spec.commandLine().getOut();
        try (CliHost host = new CliHost(ledgerOptions.home(), ledgerOptions.directory(), out)) {
            BackupStore store = host.backups();
            if (backupId == null) {
                Table table = new Table("ID", "KIND", "SOURCE", "SIZE", "TAKEN", "AGE", "VERIFIED");
                for (BackupManifest m : store.list(env)) {
                    table.row(m.id(), m.kind(), m.source(), m.size(), m.startedAt(),
                            IncidentFigures.human(Duration.between(m.startedAt(), Instant.now())), m.verification().detail());
                }
                table.print(out);
                return ExitCodes.OK;
            }
            BackupContext context = new BackupContext(SecretSource.environment(), new LocalCommandRunner(),
                    host.scheduler(), host.listener(), "restore");
            RestoreTarget where = target.database != null ? RestoreTarget.scratchDatabase(target.database)
                    : target.directory != null ? RestoreTarget.directory(target.directory) : original(store);
            if (test) {
                RestoreTestResult result = store.restoreTest(backupId, where, context);
                out.printf("restore test of %s: %s (%d compared) %s%n", backupId, result.ok() ? "OK" : "MISMATCH",
                        result.compared(), result.ok() ? result.detail() : result.mismatches());
                return result.ok() ? ExitCodes.OK : ExitCodes.DATA;
            }
            store.restore(backupId, where, context);
            out.printf("restored %s into %s%n", backupId, where);
            return ExitCodes.OK;
        }
    }
}
