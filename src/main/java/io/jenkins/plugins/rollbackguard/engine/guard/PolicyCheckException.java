package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;

/**
 * Preflight found a policy that cannot run as written: a secret that is not there, a probe that cannot be built, a
 * backup source or a command that does not exist. Nothing was recorded or run. The message names the field's path and
 * its value (never a secret's value); a host that read the policy from a file puts the file in front
 * ({@link #in(String)}).
 */
public class PolicyCheckException extends GuardException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param message
     *         the field's path, its value and the fix
     */
    public PolicyCheckException(final String message) {
        super(message);
    }

    /**
     * Says where the policy came from.
     *
     * @param source
     *         the policy file, as the user named it
     * @return the same problem, its message starting with the file
     */
    public PolicyCheckException in(final String source) {
        PolicyCheckException located = new PolicyCheckException(source + ": " + getMessage());
        located.setStackTrace(getStackTrace());
        return located;
    }
}
