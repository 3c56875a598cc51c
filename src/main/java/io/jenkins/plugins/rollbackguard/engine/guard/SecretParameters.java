package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.jenkins.plugins.rollbackguard.engine.spi.ResolvedSecrets;
import io.jenkins.plugins.rollbackguard.engine.spi.Secret;

/**
 * Parameters whose names look secret ({@code db_password}, {@code API_TOKEN}, {@code clientSecret},
 * {@code ssh_key}): recorded as {@link Secret#MASK} and masked in all output, with a warning naming the parameter,
 * unless the policy lists them under {@code publicParameters}. A secret belongs in the environment, named by the
 * policy; a parameter is recorded in the ledger and shown on build pages.
 */
public final class SecretParameters {
    /** Parts of a name that make it look secret, compared ignoring case. */
    static final List<String> WORDS = List.of("password", "passwd", "token", "secret", "key", "credential");

    private SecretParameters() {
    }

    /**
     * Tells which word makes a parameter's name look secret.
     *
     * @param name
     *         the parameter's name
     * @return the word, or empty if the name does not look secret
     */
    public static Optional<String> secretWord(final String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return WORDS.stream().filter(lower::contains).findFirst();
    }

    /**
     * Masks the values of parameters that look secret and are not declared public.
     *
     * @param policy
     *         the policy (its {@code publicParameters})
     * @param parameters
     *         the parameters as given
     * @param secrets
     *         the run's secrets, which learn each masked value so that no output shows it
     * @param warn
     *         told one line per masked parameter, naming it (never its value)
     * @return the parameters to record
     */
    static Map<String, String> mask(final Policy policy, final Map<String, String> parameters,
                                    final ResolvedSecrets secrets, final Consumer<String> warn) {
        Map<String, String> recorded = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            Optional<String> word = secretWord(name);
            if (word.isEmpty() || policy.isPublicParameter(name) || value == null || Secret.MASK.equals(value)) {
                recorded.put(name, value);
                return;
            }
            secrets.add(Secret.of(value));
            recorded.put(name, Secret.MASK);
            warn.accept(("WARNING: parameter '%s' looks secret (its name contains '%s'): it is recorded as %s and masked in "
                    + "all output; pass a secret in the environment, named by the policy (deploySecretEnvironment), or list "
                    + "'%s' under publicParameters if it is not secret").formatted(name, word.get(), Secret.MASK, name));
        });
        return recorded;
    }
}
