package io.jenkins.plugins.rollbackguard.engine.health;

import java.io.Serial;
import java.io.Serializable;

import io.jenkins.plugins.rollbackguard.engine.spi.SecretNames;

/**
 * Credentials for an HTTP or Prometheus probe, by secret name only: the values come from the
 * host's secrets (Jenkins credentials, or the CLI's environment) when the probe is built and never appear in the
 * configuration.
 *
 * @param bearerSecret
 *         the name of a secret holding a bearer token, or null
 * @param username
 *         the user for basic authentication (not secret), or null
 * @param passwordSecret
 *         the name of a secret holding the basic-auth password, or null
 */
public record Auth(String bearerSecret, String username, String passwordSecret) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Validates: bearer and basic exclude each other, basic needs both parts, secrets are given by name. */
    public Auth {
        bearerSecret = SecretNames.check("bearerSecret", bearerSecret);
        passwordSecret = SecretNames.check("passwordSecret", passwordSecret);
        if (bearerSecret != null && (username != null || passwordSecret != null)) {
            throw new IllegalArgumentException("auth: give either bearerSecret or username/passwordSecret, not both");
        }
        if ((username == null) != (passwordSecret == null)) {
            throw new IllegalArgumentException("auth: basic authentication needs both username and passwordSecret");
        }
    }

    /**
     * Returns bearer authentication.
     *
     * @param secretName
     *         the name of the token's secret
     * @return the auth
     */
    public static Auth bearer(final String secretName) {
        return new Auth(secretName, null, null);
    }

    /**
     * Returns basic authentication.
     *
     * @param username
     *         the user
     * @param passwordSecretName
     *         the name of the password's secret
     * @return the auth
     */
    public static Auth basic(final String username, final String passwordSecretName) {
        return new Auth(null, username, passwordSecretName);
    }
}
