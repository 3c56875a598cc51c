package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;

/** The caller no longer holds the lease it renews: it was broken, or taken over after its owner was found dead. */
public class LeaseLostException extends LedgerException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param message
     *         what was lost and who holds the lease now
     */
    public LeaseLostException(final String message) {
        super(message);
    }
}
