package io.jenkins.plugins.rollbackguard.engine.spi;

/**
 * Runs a process. The engine's {@link LocalCommandRunner} uses {@link ProcessBuilder}; the Jenkins glue
 * uses the step's {@code Launcher}, so that wrappers such as {@code docker.inside} apply.
 */
@FunctionalInterface
public interface CommandRunner {
    /**
     * Runs a command to its end or its timeout. A command that cannot be started at all (program not
     * found) throws; a command that runs and fails returns its exit code.
     *
     * @param request
     *         what to run
     * @return what happened
     * @throws CommandException
     *         if the process could not be started or waited for (the message is masked)
     */
    CommandResult run(CommandRequest request);
}
