package io.jenkins.plugins.rollbackguard.engine.data;

import java.io.Serial;

/** The data head could not be read or is ambiguous. The message is one sentence, and never holds a secret. */
public class DataHeadException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param message
     *         what failed and how to fix it
     * @param cause
     *         the cause
     */
    public DataHeadException(final String message, final Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception.
     *
     * @param message
     *         what failed and how to fix it
     */
    public DataHeadException(final String message) {
        super(message);
    }
}
