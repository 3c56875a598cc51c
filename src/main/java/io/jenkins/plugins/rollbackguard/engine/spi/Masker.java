package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces every occurrence of known secret values in a text by {@link Secret#MASK}. Every message,
 * exception and log line that may contain process output or a server's answer goes through one.
 */
public final class Masker implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Secrets shorter than this are not masked: masking "a" would shred every line. */
    static final int MIN_LENGTH = 3;

    private final List<String> values;

    private Masker(final List<String> values) {
        this.values = values;
    }

    /** @return a masker that knows no secret */
    public static Masker none() {
        return new Masker(List.of());
    }

    /**
     * Creates a masker for the given secrets.
     *
     * @param secrets
     *         the secrets to hide
     * @return the masker
     */
    public static Masker of(final Collection<Secret> secrets) {
        List<String> plain = new ArrayList<>();
        for (Secret secret : secrets) {
            if (secret != null && secret.reveal().length() >= MIN_LENGTH) {
                plain.add(secret.reveal());
            }
        }
        // Longest first, so that a secret containing another is masked whole.
        plain.sort(Comparator.comparingInt(String::length).reversed());
        return new Masker(List.copyOf(plain));
    }

    /**
     * Returns a masker that hides this one's secrets and the given ones.
     *
     * @param more
     *         further secrets
     * @return a new masker
     */
    public Masker with(final Collection<Secret> more) {
        List<Secret> all = new ArrayList<>();
        values.forEach(v -> all.add(Secret.of(v)));
        all.addAll(more);
        return of(all);
    }

    /**
     * Masks a text.
     *
     * @param text
     *         any text, may be null
     * @return the text with every secret value replaced, or null for null
     */
    public String mask(final String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String result = text;
        for (String value : values) {
            result = result.replace(value, Secret.MASK);
        }
        return result;
    }

    /** @return whether this masker knows no secret */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public String toString() {
        return "Masker[" + values.size() + " secrets]";
    }
}
