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

    /**
     * Runs a command and hands each line of its output to a receiver as it is printed. A runner that cannot stream
     * (the default) hands over the captured output's lines once the process ended, standard output first.
     *
     * @param request
     *         what to run
     * @param lines
     *         receives each line, masked like the captured output
     * @return what happened
     * @throws CommandException
     *         if the process could not be started or waited for (the message is masked)
     */
    default CommandResult run(final CommandRequest request, final OutputLines lines) {
        CommandResult result = run(request);
        replay(result.stdout(), false, lines);
        replay(result.stderr(), true, lines);
        return result;
    }

    private static void replay(final String text, final boolean stderr, final OutputLines lines) {
        if (text == null || text.isEmpty()) {
            return;
        }
        String whole = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : whole.split("\\r?\\n", -1)) {
            lines.line(stderr, line);
        }
    }
}
