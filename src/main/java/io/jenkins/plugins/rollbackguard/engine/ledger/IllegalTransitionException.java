package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;

/** A point was asked to move to a status that its lifecycle does not allow from where it stands. */
public class IllegalTransitionException extends LedgerException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param point
     *         the point
     * @param target
     *         the status asked for
     */
    public IllegalTransitionException(final RollbackPoint point, final PointStatus target) {
        super("Rollback point %s is %s and cannot become %s (allowed: %s)".formatted(
                point.label(), point.status(), target, point.status().successors()));
    }
}
