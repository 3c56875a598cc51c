package io.jenkins.plugins.rollbackguard.engine.spi;

import java.util.regex.Pattern;

/**
 * The rules for a secret's NAME (an environment variable for the CLI, a credentials id in Jenkins), shared by every
 * policy field that names one ({@code auth.bearerSecret}, {@code passwordSecret}, {@code tokenSecret},
 * {@code secretEnvironment}). A user may paste the secret itself where its name belongs, so no error built here
 * repeats a value that is not a valid name or that looks like a secret value rather than a name.
 */
public final class SecretNames {
    /** Letters, digits and {@code _ . : / -}: environment variables and credentials ids (UUIDs included). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,128}");
    private static final Pattern UUID_SHAPE = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern SEPARATORS = Pattern.compile("[_.:/-]+");
    private static final int LONGEST_NAME = 64;
    private static final int LONGEST_WORD = 16;
    private static final int MIXED_WORD = 8;
    private static final int SWITCHING_WORD = 6;

    private SecretNames() {
    }

    /**
     * Checks a field that names a secret.
     *
     * @param field
     *         the field's path, e.g. {@code auth.bearerSecret}
     * @param name
     *         the name given, or null
     * @return the name, or null when none was given (null or empty)
     * @throws IllegalArgumentException
     *         if it is not a valid name; the message does not repeat it
     */
    public static String check(final String field, final String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(("%s: expects the name of a secret (1-128 letters, digits and _ . : / -), "
                    + "not a value (the %d characters given are not repeated here); set SHOP_TOKEN=... in the "
                    + "environment (or a credentials id in Jenkins) and write %s: SHOP_TOKEN")
                    .formatted(field, name.length(), leaf(field)));
        }
        return name;
    }

    /**
     * Checks one entry of a {@code secretEnvironment} map: a variable name and the name of the secret that fills it.
     *
     * @param field
     *         the map's path, e.g. {@code hooks.beforeRevert[0].secretEnvironment}
     * @param variable
     *         the environment variable
     * @param name
     *         the secret's name
     * @throws IllegalArgumentException
     *         if the variable is not a variable name, or the secret's name is not a name (not repeated)
     */
    public static void checkVariable(final String field, final String variable, final String name) {
        if (variable == null || !VARIABLE.matcher(variable).matches()) {
            throw new IllegalArgumentException("%s: '%s' is not an environment variable name (a letter or _, then letters, digits or _)"
                    .formatted(field, variable));
        }
        if (check(field + "." + variable, name) == null) {
            throw new IllegalArgumentException("%s.%s: names no secret; write the name of a secret, e.g. %s: SHOP_TOKEN"
                    .formatted(field, variable, variable));
        }
    }

    /**
     * Tells whether a name is safe to print: it is a valid name and does not look like a random token or password
     * (no long or mixed-case-and-digit words, no word that switches between letters and digits again and again;
     * UUIDs, the ids Jenkins generates, are names).
     *
     * @param name
     *         the name given
     * @return whether an error may repeat it
     */
    public static boolean looksLikeName(final String name) {
        if (name == null || !NAME.matcher(name).matches() || name.length() > LONGEST_NAME) {
            return false;
        }
        if (UUID_SHAPE.matcher(name).matches()) {
            return true;
        }
        for (String word : SEPARATORS.split(name)) {
            if (looksRandom(word)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Describes a name for a message: quoted when it looks like a name, else only its length.
     *
     * @param name
     *         the name given
     * @return {@code 'SHOP_TOKEN'} or {@code a 24-character name that looks like a secret value (not shown)}
     */
    public static String describe(final String name) {
        return looksLikeName(name) ? "'" + name + "'"
                : "a %d-character name that looks like a secret value (not shown)".formatted(name == null ? 0 : name.length());
    }

    /**
     * Returns the last part of a field path, for "write bearerSecret: SHOP_TOKEN".
     *
     * @param field
     *         e.g. {@code probes[0].auth.bearerSecret}
     * @return e.g. {@code bearerSecret}
     */
    static String leaf(final String field) {
        int dot = field.lastIndexOf('.');
        String last = dot < 0 ? field : field.substring(dot + 1);
        int bracket = last.indexOf('[');
        return bracket < 0 ? last : last.substring(0, bracket);
    }

    private static boolean looksRandom(final String word) {
        if (word.length() > LONGEST_WORD) {
            return true;
        }
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        int switches = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            upper |= Character.isUpperCase(c);
            lower |= Character.isLowerCase(c);
            digit |= Character.isDigit(c);
            if (i > 0 && Character.isDigit(c) != Character.isDigit(word.charAt(i - 1))) {
                switches++;
            }
        }
        return upper && lower && digit && word.length() >= MIXED_WORD
                || switches >= 2 && word.length() >= SWITCHING_WORD;
    }
}
