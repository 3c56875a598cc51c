package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;

/** A ledger operation failed; the message says which environment, file or point, and why. */
public class LedgerException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param message
     *         what failed, with the values involved
     */
    public LedgerException(final String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message
     *         what failed, with the values involved
     * @param cause
     *         the cause
     */
    public LedgerException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
