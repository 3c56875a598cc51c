package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;

/** A policy file could not be read; the message names the file, the field's path and what is wrong. */
public class PolicyException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param message
     *         the file, the field's path and the problem
     * @param cause
     *         the parser's exception
     */
    public PolicyException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
