package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;

/**
 * Thrown by a {@link Deployer} whose deploy never started (its command could not be started): nothing was deployed,
 * so the point is aborted ("never started"), not failed, and it is no deploy in the DORA figures.
 */
public class DeployNotStartedException extends GuardException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param message
     *         why it could not start (masked)
     * @param cause
     *         the cause
     */
    public DeployNotStartedException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
