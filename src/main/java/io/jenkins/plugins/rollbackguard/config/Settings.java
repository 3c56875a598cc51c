package io.jenkins.plugins.rollbackguard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;

/**
 * Checks the syntax of configuration values without Jenkins, for the form checks and the setters alike. Each
 * {@code check…} method returns the error message, or empty if the value is fine.
 *
 * <p>Only what Jenkins alone has is checked here (the backup directory, the Test probe button's hosts, the
 * webhooks); the defaults of deploys are the engine's to check ({@link GlobalChecks}).</p>
 */
final class Settings {
    /** A host name or IP address, optionally with a leading {@code *.} wildcard and a port. */
    private static final Pattern HOST = Pattern.compile("(?:\\*\\.)?[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::\\d{1,5})?");

    private Settings() {
        // static helpers only
    }

    /**
     * Checks a path that is either empty (the default) or absolute.
     *
     * @param field
     *         the property name, used in the message
     * @param value
     *         the path as entered
     * @return the error message, or empty if the value is empty or an absolute path
     */
    static Optional<String> checkAbsolutePathOrEmpty(final String field, final String value) {
        String trimmed = value == null ? "" : value.trim();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (Path.of(trimmed).isAbsolute()) {
                return Optional.empty();
            }
        }
        catch (InvalidPathException ignored) {
            // reported below like a relative path
        }
        return Optional.of(Messages.Settings_Path_NotAbsolute(field, trimmed));
    }

    /**
     * Checks host patterns, one per line: host names or IP addresses, optionally {@code *.domain} and
     * {@code :port}.
     *
     * @param field
     *         the property name, used in the message
     * @param value
     *         the patterns, one per line
     * @return the error message naming the first bad line, or empty if all lines are fine
     */
    static Optional<String> checkHostPatterns(final String field, final String value) {
        return lines(value).stream()
                .filter(line -> !HOST.matcher(line).matches())
                .findFirst()
                .map(line -> Messages.Settings_Host_Invalid(field, line));
    }

    /**
     * Checks a webhook address: an absolute {@code http} or {@code https} URL with a host.
     *
     * @param field
     *         the property name, used in the message
     * @param value
     *         the URL as entered
     * @return the error message, or empty if the URL is fine
     */
    static Optional<String> checkWebhookUrl(final String field, final String value) {
        String trimmed = value == null ? "" : value.trim();
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return Optional.empty();
            }
        }
        catch (URISyntaxException ignored) {
            // reported below like any other bad address
        }
        return Optional.of(Messages.Settings_Url_Invalid(field, trimmed));
    }

    /**
     * Checks a comma-separated list of ledger event types; empty means all events.
     *
     * @param field
     *         the property name, used in the message
     * @param value
     *         the event type names, e.g. {@code CIRCUIT_OPENED, STATUS_CHANGED}
     * @return the error message naming the first unknown type, or empty if all are known
     */
    static Optional<String> checkEventTypes(final String field, final String value) {
        Set<String> known = Arrays.stream(LedgerEvent.Type.values()).map(Enum::name).collect(Collectors.toSet());
        String allowed = Arrays.stream(LedgerEvent.Type.values()).map(Enum::name).collect(Collectors.joining(", "));
        return items(value).stream()
                .filter(name -> !known.contains(name))
                .findFirst()
                .map(name -> Messages.Settings_Events_Unknown(field, name, allowed));
    }

    /**
     * Parses a list of ledger event types that {@link #checkEventTypes} accepted.
     *
     * @param value
     *         the comma-separated names; empty means all types
     * @return the types, all of them if the value is empty
     */
    static Set<LedgerEvent.Type> parseEventTypes(final String value) {
        List<String> names = items(value);
        if (names.isEmpty()) {
            return EnumSet.allOf(LedgerEvent.Type.class);
        }
        EnumSet<LedgerEvent.Type> types = EnumSet.noneOf(LedgerEvent.Type.class);
        names.forEach(name -> types.add(LedgerEvent.Type.valueOf(name)));
        return types;
    }

    /**
     * Splits text into trimmed, non-blank lines.
     *
     * @param value
     *         the text, may be null
     * @return the lines
     */
    static List<String> lines(final String value) {
        return split(value, "\\R");
    }

    /**
     * Splits a comma-separated list into trimmed, upper-case, non-blank items.
     *
     * @param value
     *         the list, may be null
     * @return the items
     */
    static List<String> items(final String value) {
        return split(value, ",").stream().map(item -> item.toUpperCase(Locale.ROOT)).toList();
    }

    /**
     * Throws if a check found an error.
     *
     * @param field
     *         the property name
     * @param error
     *         the result of a {@code check…} method
     * @throws InvalidSettingException
     *         if {@code error} is present
     */
    static void require(final String field, final Optional<String> error) {
        if (error.isPresent()) {
            throw new InvalidSettingException(field, error.get());
        }
    }

    private static List<String> split(final String value, final String separator) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(separator)).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }
}
