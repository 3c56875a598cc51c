package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard backup}: take the policy's backups now, outside a deploy; {@code backup trust}: seal one. */
@Command(name = "backup", mixinStandardHelpOptions = true, subcommands = BackupCommand.Trust.class,
        description = {"Take the backups a policy names, now, verified and committed to the backup store.",
            "'backup trust' seals a backup written before the store sealed its manifests, after checking it."},
        footerHeading = "%nExample:%n", footer = "  rollback-guard backup --policy policy.yaml")
final class BackupCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = "--policy", paramLabel = "FILE", description = "The policy file (required to take backups).")
    private Path policyFile;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (policyFile == null) {
            throw new IllegalArgumentException("--policy: name the policy file whose backups to take "
                    + "(or use 'backup trust --env ENV --backup ID' to seal an existing backup)");
        }
        Policy policy = ledgerOptions.policyReader().read(policyFile);
        PrintWriter out = spec.commandLine().getOut();
        if (policy.backups().isEmpty()) {
            throw new IllegalArgumentException("backups: the policy %s names no backup".formatted(policyFile));
        }
        try (CliHost host = new CliHost(ledgerOptions.home(), ledgerOptions.directory(), out)) {
            BackupStore store = host.backups();
            int failed = 0;
            for (BackupSpec backup : policy.backups()) {
                BackupContext context = new BackupContext(SecretSource.environment(), new LocalCommandRunner(),
                        host.scheduler(), host.listener(), "manual");
                try {
                    BackupManifest manifest = store.take(policy.environment().value(), backup, context);
                    out.printf("%s %s: %s, %d bytes, sha256 %s, verified: %s%n", manifest.id(), manifest.kind(),
                            manifest.source(), manifest.size(), manifest.sha256(), manifest.verification().detail());
                }
                catch (RuntimeException e) {
                    failed++;
                    out.printf("FAILED %s backup of %s: %s%n", backup.kind(), backup.describe(), e.getMessage());
                }
            }
            out.flush();
            return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** {@code rollback-guard backup trust}: check a backup's archive against its manifests, then seal it. */
    @Command(name = "trust", mixinStandardHelpOptions = true,
            header = "Seal a backup that a restore refuses because it has no seal of this store.",
            description = {"Such a backup was written before the store sealed its manifests, or changed since. Its archive "
                + "is checked against its manifest and file manifest first, and what it restores, and where, is printed.",
                "Only seal a backup you recognise."},
            footerHeading = "%nExample:%n",
            footer = {"  rollback-guard backup trust --env production \\",
                "      --backup 20261201T093000Z-1a2b3c4d"})
    static final class Trust implements Callable<Integer> {
        @Mixin
        private LedgerOptions ledgerOptions;

        @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment.")
        private String environment;

        @Option(names = "--backup", required = true, paramLabel = "ID", description = "The backup to seal.")
        private String backupId;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            String env = EnvironmentName.of(environment).value();
            PrintWriter out = spec.commandLine().getOut();
            try (CliHost host = new CliHost(ledgerOptions.home(), ledgerOptions.directory(), out)) {
                BackupStore store = host.backups();
                BackupManifest found = store.find(backupId).filter(m -> m.environment().equals(env))
                        .orElseThrow(() -> new IllegalArgumentException(
                                "--backup: no backup '%s' in environment '%s' (list them with 'rollback-guard restore --env %s')"
                                        .formatted(backupId, env, env)));
                if (store.isAuthentic(found.id())) {
                    out.printf("backup %s is already sealed by this store: nothing to do%n", found.id());
                    out.flush();
                    return ExitCodes.OK;
                }
                BackupContext context = new BackupContext(SecretSource.environment(), new LocalCommandRunner(),
                        host.scheduler(), host.listener(), "trust");
                BackupManifest sealed = store.trust(found.id(), context);
                out.printf("sealed backup %s: %s backup of %s taken %s; a restore to its original place writes there; "
                        + "checked: %s%n", sealed.id(), sealed.kind(), sealed.source(), sealed.startedAt(),
                        sealed.verification().detail());
                out.flush();
                return ExitCodes.OK;
            }
        }
    }
}
