package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * A secret value (password, token) whose {@link #toString()} never shows it. Obtain one from a
 * {@link SecretSource}; read the plain value only with {@link #reveal()} at the moment it is handed to
 * a process or a request, never to build a message.
 */
public final class Secret implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** What {@link #toString()} and {@link Masker} print instead of a secret value. */
    public static final String MASK = "****";

    private final String value;

    private Secret(final String value) {
        this.value = value;
    }

    /**
     * Wraps a plain value.
     *
     * @param value
     *         the secret text; may be empty but not null
     * @return the secret
     */
    public static Secret of(final String value) {
        return new Secret(Objects.requireNonNull(value, "secret value"));
    }

    /**
     * Returns the plain value, to be handed to a process or request, never to a message.
     *
     * @return the plain value
     */
    public String reveal() {
        return value;
    }

    /** @return whether the value is empty */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
