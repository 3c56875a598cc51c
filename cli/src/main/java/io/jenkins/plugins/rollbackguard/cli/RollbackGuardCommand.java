package io.jenkins.plugins.rollbackguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code rollback-guard} command. */
@Command(name = "rollback-guard", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Makes every deploy reversible: rollback points, verified backups, health watch, automatic revert.",
        subcommands = {CommandLine.HelpCommand.class})
public final class RollbackGuardCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** @return a configured command line */
    public static CommandLine commandLine() {
        return new CommandLine(new RollbackGuardCommand());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
