package io.jenkins.plugins.rollbackguard.engine.health;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds;
import java.io.Serial;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An HTTP(S) probe. The value of a sample is the number at {@code jsonPointer} in a JSON body, or else
 * the response latency in milliseconds. See docs/health.md for how each fault is classified.
 *
 * @param name
 *         the probe name
 * @param url
 *         an http or https URL; other schemes are refused
 * @param method
 *         GET (default), HEAD, POST, ...
 * @param headers
 *         extra request headers (not secret; use {@code auth} for credentials)
 * @param auth
 *         bearer or basic credentials by secret name, or null
 * @param expectStatus
 *         the expected status: {@code 200}, a list {@code 200,204}, a range {@code 200-299} or a class
 *         {@code 2xx}; default {@code 2xx}
 * @param bodyMatch
 *         a regular expression the body must contain, or null
 * @param jsonPointer
 *         a JSON Pointer (RFC 6901) to a number in the body that becomes the value, or null
 * @param connectTimeout
 *         connect timeout, default {@code 5s}
 * @param timeout
 *         total timeout including reading the body, default {@code 10s}
 * @param redirects
 *         {@code never}, {@code normal} (default: follow, except https to http) or {@code always}
 * @param maxBodyBytes
 *         bytes of body read before it is cut off, default 1 MiB
 * @param failIf
 *         failure threshold, or null
 * @param successIf
 *         success threshold, or null
 * @param analysis
 *         sampling and judging, defaults if null
 */
public record HttpProbeSpec(String name, String url, String method, Map<String, String> headers, Auth auth,
                            String expectStatus, String bodyMatch, String jsonPointer, String connectTimeout,
                            String timeout, String redirects, Integer maxBodyBytes, String failIf,
                            String successIf, AnalysisSettings analysis) implements ProbeSpec {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** The default body cap: 1 MiB. */
    public static final int DEFAULT_MAX_BODY = 1024 * 1024;
    private static final Set<String> REDIRECTS = Set.of("never", "normal", "always");

    /** Fills defaults and validates; messages name the field and the bad value. */
    public HttpProbeSpec {
        ProbeSpec.requireName(name);
        checkUrl(ProbeSpec.require("url", url));
        method = method == null ? "GET" : method.strip().toUpperCase(Locale.ROOT);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        expectStatus = expectStatus == null ? "2xx" : expectStatus;
        StatusSet.parse("expectStatus", expectStatus);
        checkRegex(bodyMatch);
        if (jsonPointer != null && !jsonPointer.isEmpty() && !jsonPointer.startsWith("/")) {
            throw new IllegalArgumentException("jsonPointer: must start with '/', got '" + jsonPointer + "'");
        }
        connectTimeout = positiveDuration("connectTimeout", connectTimeout, "5s");
        timeout = positiveDuration("timeout", timeout, "10s");
        redirects = redirects == null ? "normal" : redirects.strip().toLowerCase(Locale.ROOT);
        if (!REDIRECTS.contains(redirects)) {
            throw new IllegalArgumentException("redirects: expected never, normal or always, got '" + redirects + "'");
        }
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY : maxBodyBytes;
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes: must be 0 or more, got " + maxBodyBytes);
        }
        analysis = analysis == null ? AnalysisSettings.defaults() : analysis;
        ProbeSpec.requirePointers(analysis);
        Thresholds.parse(name, failIf, successIf); // fields are not yet assigned here, so not thresholds()
    }

    /**
     * Creates a GET probe with defaults.
     *
     * @param name
     *         the probe name
     * @param url
     *         the URL
     * @param failIf
     *         failure threshold on the latency in ms, or null
     * @param analysis
     *         sampling settings
     * @return the spec
     */
    public static HttpProbeSpec get(final String name, final String url, final String failIf,
            final AnalysisSettings analysis) {
        return new HttpProbeSpec(name, url, null, null, null, null, null, null, null, null, null, null, failIf,
                null, analysis);
    }

    private static void checkUrl(final String url) {
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("url: not a valid URL: '" + url + "'", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "url: only http and https URLs with a host are allowed, got '" + url + "'");
        }
    }

    private static void checkRegex(final String regex) {
        if (regex == null) {
            return;
        }
        checkRegex("bodyMatch", regex);
    }

    /**
     * Refuses a value that is not a regular expression in one line: the value (shortened when long), what is wrong at
     * which character, and the fix; never the parser's multi-line text with its caret.
     *
     * @param field
     *         the field, for the message
     * @param regex
     *         the value
     * @throws IllegalArgumentException
     *         if it does not compile
     */
    static void checkRegex(final String field, final String regex) {
        try {
            Pattern.compile(regex);
        }
        catch (PatternSyntaxException e) {
            String shown = regex.length() <= 80 ? regex : regex.substring(0, 60) + "... (%d characters)".formatted(regex.length());
            String where = e.getIndex() >= 0 ? " at character %d".formatted(e.getIndex() + 1) : "";
            throw new IllegalArgumentException(("%s: '%s' is not a regular expression (%s%s); correct it, or write "
                    + "the text to find with \\Q...\\E around it").formatted(field, shown,
                    e.getDescription().toLowerCase(Locale.ROOT), where)); // no cause: the reader would show its text
        }
    }

    static String positiveDuration(final String field, final String value, final String fallback) {
        String text = value == null ? fallback : value;
        if (Durations.parse(field, text).isZero()) {
            throw new IllegalArgumentException(field + ": must be positive, got '" + text + "'");
        }
        return text;
    }
}
