package io.jenkins.plugins.rollbackguard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Decides which URLs the "Test probe" button may contact: only {@code http}/{@code https} URLs whose host (and port,
 * where the pattern names one) matches a pattern of the allowlist in the global configuration. An empty list allows
 * nothing. Patterns are host names or IP addresses, optionally {@code *.domain} (any subdomain, not the domain
 * itself) and {@code :port}. Jenkins-free.
 */
public final class ProbeHostAllowlist {
    private final List<String> patterns;

    /**
     * Creates the allowlist.
     *
     * @param patterns
     *         the patterns, one per item, already checked by {@link Settings#checkHostPatterns}
     */
    public ProbeHostAllowlist(final List<String> patterns) {
        this.patterns = patterns.stream().map(p -> p.trim().toLowerCase(Locale.ROOT)).filter(p -> !p.isEmpty()).toList();
    }

    /**
     * Tells whether a URL may be contacted.
     *
     * @param url
     *         the URL as entered
     * @return whether it is an http(s) URL with a host that the list allows
     */
    public boolean allows(final String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        }
        catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null || uri.getUserInfo() != null) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return patterns.stream().anyMatch(pattern -> matches(pattern, host, port));
    }

    private static boolean matches(final String pattern, final String host, final int port) {
        String hostPattern = pattern;
        int colon = pattern.lastIndexOf(':');
        if (colon >= 0) {
            if (!pattern.substring(colon + 1).equals(Integer.toString(port))) {
                return false;
            }
            hostPattern = pattern.substring(0, colon);
        }
        if (hostPattern.startsWith("*.")) {
            String domain = hostPattern.substring(1); // ".example.com"
            return host.endsWith(domain) && host.length() > domain.length();
        }
        return host.equals(hostPattern);
    }
}
