package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;

/** A rollback point was asked for by an id that the environment does not have. */
public class UnknownPointException extends LedgerException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param environment
     *         the environment
     * @param id
     *         the id asked for
     * @param highest
     *         the highest id the environment has, 0 if none
     */
    public UnknownPointException(final EnvironmentName environment, final long id, final long highest) {
        super("Unknown rollback point %d in environment '%s' (its points are numbered 1 to %d)"
                .formatted(id, environment, highest));
    }
}
