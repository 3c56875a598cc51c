package io.jenkins.plugins.rollbackguard.cli;

import io.jenkins.plugins.rollbackguard.cli.demo.ShopDeployCommand;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupException;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardRefusedException;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyCheckException;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyException;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code rollback-guard} command. */
@Command(name = "rollback-guard", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Makes every deploy reversible: rollback points, verified backups, health watch, automatic revert.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the deploy failed or was rolled back", "2:bad usage or invalid value",
            "3:ledger, policy or backup unreadable, or the policy cannot run as written (preflight)",
            "4:refused (environment frozen or busy, a probe unreachable)",
            "5:the rollback failed or needs a manual decision"},
        subcommands = {DeployCommand.class, RollbackCommand.class, MarkCommand.class, ResumeCommand.class, AdoptCommand.class, BackupCommand.class,
            RestoreCommand.class, ValidateCommand.class, MetricsCommand.class, DrillCommand.class, DemoCommand.class, PointsCommand.class, StatusCommand.class, ResetCommand.class, LeaseCommand.class, SalvageCommand.class,
            BenchCommand.class, ShopDeployCommand.class, CommandLine.HelpCommand.class})
public final class RollbackGuardCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** @return a configured command line */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new RollbackGuardCommand());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            cmd.getErr().println("rollback-guard: " + CliHost.mask(exception.getMessage()));
            cmd.getErr().flush();
            if (exception instanceof GuardRefusedException) {
                return ExitCodes.REFUSED;
            }
            if (exception instanceof IllegalArgumentException) {
                return ExitCodes.USAGE;
            }
            boolean data = exception instanceof LedgerException || exception instanceof PolicyException
                    || exception instanceof BackupException || exception instanceof PolicyCheckException;
            return data ? ExitCodes.DATA : ExitCodes.FAILED;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
