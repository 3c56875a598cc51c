package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.Serial;

/**
 * A process could not be started at all (no such program, not executable): nothing of it ran. A deploy whose command
 * never started is aborted, not failed. Its message never contains a secret.
 */
public class CommandNotStartedException extends CommandException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param message
     *         what could not be started, and why
     * @param cause
     *         the cause
     */
    public CommandNotStartedException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
