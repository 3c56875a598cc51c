package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;

/** A guarded deploy could not go on; the message says which phase, environment and value. */
public class GuardException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param message
     *         what failed (masked)
     * @param cause
     *         the cause
     */
    public GuardException(final String message, final Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception.
     *
     * @param message
     *         what failed (masked)
     */
    public GuardException(final String message) {
        super(message);
    }
}
