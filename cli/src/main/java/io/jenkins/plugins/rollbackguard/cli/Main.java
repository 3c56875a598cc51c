package io.jenkins.plugins.rollbackguard.cli;

import picocli.CommandLine;

/** Entry point of {@code java -jar rollback-guard.jar}. */
public final class Main {
    private Main() {
    }

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args
     *         the arguments
     */
    public static void main(final String[] args) {
        System.exit(RollbackGuardCommand.commandLine().execute(args));
    }
}
