package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;
import java.io.Serializable;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The name of a deploy target (production, staging-eu, shop.v2). Names become directory names, so only
 * {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}} is accepted, and never {@code ..}: no separator, no traversal.
 */
public final class EnvironmentName implements Serializable, Comparable<EnvironmentName> {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String value;

    private EnvironmentName(final String value) {
        this.value = value;
    }

    /**
     * Checks and wraps a name.
     *
     * @param name
     *         the name
     * @return the environment name
     * @throws IllegalArgumentException
     *         if the name is not allowed; the message names the value and the rule
     */
    @JsonCreator
    public static EnvironmentName of(final String name) {
        if (name == null) {
            throw new IllegalArgumentException("environment: a name is required");
        }
        if (!VALID.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException(("environment: '%s' is not a valid name: use 1 to 64 letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit, without '..'").formatted(printable(name)));
        }
        return new EnvironmentName(name);
    }

    /**
     * Tells whether a name would be accepted by {@link #of(String)}.
     *
     * @param name
     *         the name
     * @return whether it is valid
     */
    public static boolean isValid(final String name) {
        return name != null && VALID.matcher(name).matches() && !name.contains("..");
    }

    /** Keeps error messages on one readable line whatever was typed. */
    private static String printable(final String name) {
        String shortened = name.length() > 80 ? name.substring(0, 80) + "..." : name;
        StringBuilder out = new StringBuilder();
        shortened.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            }
            else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** @return the name */
    @JsonValue
    public String value() {
        return value;
    }

    @Override
    public int compareTo(final EnvironmentName other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof EnvironmentName other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
