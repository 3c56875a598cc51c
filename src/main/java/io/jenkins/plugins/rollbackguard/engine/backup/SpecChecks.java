package io.jenkins.plugins.rollbackguard.engine.backup;

import java.util.regex.Pattern;

import io.jenkins.plugins.rollbackguard.engine.spi.SecretNames;

/** Validation shared by the specs: every failure names the field, the bad value and what is allowed. */
final class SpecChecks {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]-]{1,253}|/[^\\s]{0,250}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_$-]{1,63}");

    private SpecChecks() {
        // static helpers only
    }

    static String host(final String field, final String value) {
        return matching(field, value, HOST, "a host name, an IP address or an absolute socket directory");
    }

    static String name(final String field, final String value) {
        return matching(field, value, NAME, "1-63 characters of A-Z, a-z, 0-9, _, $ or -");
    }

    static String secretName(final String field, final String value) {
        return SecretNames.check(field, value); // the value is not echoed: it may be the secret pasted for its name
    }

    static int port(final String field, final Integer value, final int defaultPort) {
        int port = value == null ? defaultPort : value;
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("%s: must be a port between 1 and 65535, got %d".formatted(field, port));
        }
        return port;
    }

    static int positive(final String field, final Integer value, final int defaultValue, final int max) {
        int result = value == null ? defaultValue : value;
        if (result < 1 || result > max) {
            throw new IllegalArgumentException("%s: must be between 1 and %d, got %d".formatted(field, max, result));
        }
        return result;
    }

    private static String matching(final String field, final String value, final Pattern pattern, final String allowed) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("%s: must be %s, got '%s'".formatted(field, allowed, value));
        }
        return value;
    }
}
