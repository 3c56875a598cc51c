package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.Serial;

/** A process could not be started or waited for. Its message never contains a secret. */
public class CommandException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param message
     *         what failed, masked
     * @param cause
     *         the cause
     */
    public CommandException(final String message, final Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception.
     *
     * @param message
     *         what failed, masked
     */
    public CommandException(final String message) {
        super(message);
    }
}
