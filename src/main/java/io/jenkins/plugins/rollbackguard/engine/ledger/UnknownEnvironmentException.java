package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;
import java.util.Collection;

/** An environment was asked for that the ledger has never recorded. */
public class UnknownEnvironmentException extends LedgerException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param environment
     *         the environment asked for
     * @param known
     *         the environments the ledger knows
     */
    public UnknownEnvironmentException(final EnvironmentName environment, final Collection<EnvironmentName> known) {
        super("Unknown environment '%s'; the ledger knows %s".formatted(environment,
                known.isEmpty() ? "no environment yet" : known));
    }
}
