package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

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
        footerHeading = "%nExample:%n",
        footer = {"  rollback-guard deploy --policy policy.yaml --artifact shop-2.0.jar \\",
            "      -- ./deploy.sh {artifact}"},
        subcommands = {DeployCommand.class, RollbackCommand.class, MarkCommand.class, ResumeCommand.class, AdoptCommand.class, BackupCommand.class,
            RestoreCommand.class, ValidateCommand.class, MetricsCommand.class, DrillCommand.class, DemoCommand.class, PointsCommand.class, StatusCommand.class, ResetCommand.class, LeaseCommand.class, SalvageCommand.class,
            BenchCommand.class, ShopDeployCommand.class, CommandLine.HelpCommand.class})
public final class RollbackGuardCommand implements Callable<Integer> {
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
        commandLine.setParameterExceptionHandler(RollbackGuardCommand::badUsage);
        return commandLine;
    }

    /**
     * Reports bad usage in one message. An unknown option comes first, with picocli's suggestions: picocli reports a
     * missing required option before the unknown ones, so {@code --polcy p.yaml} read as "missing --policy" (and
     * {@code p.yaml} became part of COMMAND). The full usage is not repeated; the line after names the help.
     */
    private static int badUsage(final CommandLine.ParameterException exception, final String[] args) {
        CommandLine.ParameterException reported = exception;
        CommandLine failed = exception.getCommandLine();
        List<String> unknown = failed.getParseResult() == null ? List.of() : failed.getParseResult().unmatched();
        if (!(exception instanceof CommandLine.UnmatchedArgumentException) && !unknown.isEmpty()) {
            reported = new CommandLine.UnmatchedArgumentException(failed, unknown);
        }
        PrintWriter err = failed.getErr();
        err.println("rollback-guard: " + CliHost.mask(reported.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(reported, err);
        err.printf("Try '%s --help' for the options and an example.%n", failed.getCommandSpec().qualifiedName());
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Without a command there is nothing to do: the usage, and the exit code of bad usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
