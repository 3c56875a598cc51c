package io.jenkins.plugins.rollbackguard.cli;

import picocli.CommandLine;

/** Entry point of {@code java -jar rollback-guard.jar}. */
public final class Main {
    private static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private Main() {
    }

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args
     *         the arguments
     */
    public static void main(final String[] args) {
        // On a machine with 2 cores the common pool has parallelism 1, and the JDK HttpClient then starts a
        // thread per response (docs/health.md). Set before any pool is created; an explicit -D wins.
        if (System.getProperty(PARALLELISM) == null) {
            System.setProperty(PARALLELISM, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
        }
        System.exit(RollbackGuardCommand.commandLine().execute(args));
    }
}
