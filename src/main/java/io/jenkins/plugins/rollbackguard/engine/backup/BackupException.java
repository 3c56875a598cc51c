package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serial;

/** A backup, verification or restore failed. The message says what and where, and never holds a secret. */
public class BackupException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the exception.
     *
     * @param message
     *         what failed, masked
     * @param cause
     *         the cause
     */
    public BackupException(final String message, final Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception.
     *
     * @param message
     *         what failed, masked
     */
    public BackupException(final String message) {
        super(message);
    }
}
