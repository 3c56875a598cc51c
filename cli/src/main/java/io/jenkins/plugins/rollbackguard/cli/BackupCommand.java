package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard backup}: take the policy's backups now, outside a deploy. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Take the backups a policy names, now, verified and committed to the backup store.")
final class BackupCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The policy file.")
    private Path policyFile;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Policy policy = new PolicyReader().read(policyFile);
        PrintWriter out = spec.commandLine().getOut();
        if (policy.backups().isEmpty()) {
            throw new IllegalArgumentException("backups: the policy %s names no backup".formatted(policyFile));
        }
        try (CliHost host = new CliHost(LedgerOptions.home(), LedgerOptions.home().resolve("ledger"), out)) {
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
}
