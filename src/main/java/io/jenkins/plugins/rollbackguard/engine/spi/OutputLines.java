package io.jenkins.plugins.rollbackguard.engine.spi;

/**
 * Receives a process's output line by line as it is printed, already masked: the deploy command's output shown live
 * (console, build log) and kept as a tail. A line longer than {@link #MAX_LINE} characters arrives in pieces, so
 * that a program printing without newlines cannot make a runner hold more than that per stream.
 */
@FunctionalInterface
public interface OutputLines {
    /** The longest line handed over at once; longer ones are split. */
    int MAX_LINE = 8 * 1024;

    /**
     * Receives one line, without its line end.
     *
     * @param stderr
     *         whether it came from standard error
     * @param line
     *         the line, secrets masked
     */
    void line(boolean stderr, String line);

    /** @return a receiver that drops every line */
    static OutputLines none() {
        return (stderr, line) -> { };
    }
}
