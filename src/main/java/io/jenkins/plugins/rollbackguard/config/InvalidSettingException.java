package io.jenkins.plugins.rollbackguard.config;

import java.io.Serial;

/**
 * Rejects a configuration value. The message names the field, the value and what is allowed; {@link #getField()}
 * names the form field, so the configuration page can point at it.
 */
public class InvalidSettingException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L; // release 0.1.0

    private final String field;

    /**
     * Creates the exception.
     *
     * @param field
     *         the name of the rejected property, e.g. {@code interval}
     * @param message
     *         what is wrong, naming the value and what is allowed
     */
    public InvalidSettingException(final String field, final String message) {
        super(message);
        this.field = field;
    }

    /** @return the name of the rejected property */
    public String getField() {
        return field;
    }
}
