package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.PrintStream;

/**
 * Receives the engine's progress lines. The CLI prints them; Jenkins writes them to the build's
 * {@code TaskListener} with a {@code [rollback-guard]} prefix. Lines are already masked.
 */
public interface GuardListener {
    /**
     * Reports progress.
     *
     * @param line
     *         one short human line
     */
    void info(String line);

    /**
     * Reports a problem.
     *
     * @param line
     *         one short human line
     */
    void error(String line);

    /** @return a listener that drops everything */
    static GuardListener silent() {
        return new GuardListener() {
            @Override
            public void info(final String line) {
                // dropped on purpose
            }

            @Override
            public void error(final String line) {
                // dropped on purpose
            }
        };
    }

    /**
     * Returns a listener printing to a stream.
     *
     * @param out
     *         the stream
     * @return the listener
     */
    static GuardListener printingTo(final PrintStream out) {
        return new GuardListener() {
            @Override
            public void info(final String line) {
                out.println(line);
            }

            @Override
            public void error(final String line) {
                out.println("ERROR: " + line);
            }
        };
    }
}
