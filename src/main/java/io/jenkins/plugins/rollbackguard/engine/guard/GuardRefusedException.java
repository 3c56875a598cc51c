package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;

/** The guard refused to start a deploy: the environment is frozen, busy, or has nothing to return to. */
public class GuardRefusedException extends GuardException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param message
     *         why, and what to do about it
     */
    public GuardRefusedException(final String message) {
        super(message);
    }
}
