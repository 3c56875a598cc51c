package io.jenkins.plugins.rollbackguard.engine.spi;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Looks secrets up by the name a policy gives them. The CLI reads environment variables or files;
 * Jenkins looks credentials up for the running build.
 */
@FunctionalInterface
public interface SecretSource {
    /**
     * Finds a secret.
     *
     * @param name
     *         the name the policy uses (an environment variable, a credentials id)
     * @return the secret, or empty if there is none of that name
     */
    Optional<Secret> find(String name);

    /**
     * Finds a secret that must exist.
     *
     * @param name
     *         the name the policy uses
     * @param field
     *         the policy field that names it, for the error message
     * @return the secret
     * @throws IllegalArgumentException
     *         if there is no secret of that name (the message names the field, and the name only when it looks
     *         like one: a token pasted where its name belongs is not repeated, see {@link SecretNames})
     */
    default Secret require(final String name, final String field) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(missing(field, name)));
    }

    /**
     * Says that a secret is missing, without repeating a name that looks like a secret value.
     *
     * @param field
     *         the policy field that names it
     * @param name
     *         the name given
     * @return one sentence naming the field and the fix
     */
    static String missing(final String field, final String name) {
        if (SecretNames.looksLikeName(name)) {
            return ("%s: no secret named '%s' is available; define it (an environment variable for the command line, "
                    + "a credentials id in Jenkins) or correct the name").formatted(field, name);
        }
        return ("%s: expects the name of a secret, and no secret has the name given, which looks like a secret value "
                + "(%d characters, not shown); set SHOP_TOKEN=... (or a credentials id in Jenkins) and write %s: SHOP_TOKEN")
                .formatted(field, name == null ? 0 : name.length(), SecretNames.leaf(field));
    }

    /**
     * Reveals the named secrets that exist, to carry them to where they are used (an agent), the inverse of
     * {@link #of(Map)}. Names without a secret are left out: the receiving side reports them by field.
     *
     * @param names
     *         the names
     * @return the plain values by name
     */
    default Map<String, String> reveal(final Collection<String> names) {
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            find(name).ifPresent(secret -> values.put(name, secret.reveal()));
        }
        return values;
    }

    /** @return a source without any secret */
    static SecretSource none() {
        return name -> Optional.empty();
    }

    /**
     * Returns a source backed by a map, for tests and for values already resolved by a host.
     *
     * @param secrets
     *         plain values by name
     * @return the source
     */
    static SecretSource of(final Map<String, String> secrets) {
        Map<String, String> copy = Map.copyOf(secrets);
        return name -> Optional.ofNullable(copy.get(name)).map(Secret::of);
    }

    /** @return a source reading environment variables of this process */
    static SecretSource environment() {
        return name -> Optional.ofNullable(System.getenv(name)).map(Secret::of);
    }
}
