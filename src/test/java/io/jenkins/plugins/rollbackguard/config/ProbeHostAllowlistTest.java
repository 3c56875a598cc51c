package io.jenkins.plugins.rollbackguard.config;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the class {@link ProbeHostAllowlist}: the SSRF guard of the "Test probe" button.
 */
class ProbeHostAllowlistTest {
    private static final List<String> PATTERNS = List.of("prom.example.com", "*.staging.example.com",
            "10.0.0.5:9090");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://prom.example.com/metrics, true",
            "https://PROM.example.com:8443/api, true",
            "http://a.staging.example.com/health, true",
            "http://a.b.staging.example.com/health, true",
            "http://staging.example.com/health, false",
            "http://evilstaging.example.com/, false",
            "http://10.0.0.5:9090/api/v1/query, true",
            "http://10.0.0.5/api/v1/query, false",
            "http://127.0.0.1/, false",
            "http://169.254.169.254/latest/meta-data, false",
            "file:///etc/passwd, false",
            "ftp://prom.example.com/, false",
            "http://user:pw@prom.example.com/, false",
            "not a url, false"
    })
    void shouldAllowOnlyListedHosts(final String url, final boolean allowed) {
        assertThat(new ProbeHostAllowlist(PATTERNS).allows(url)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"http://prom.example.com/", "http://localhost/"})
    void shouldAllowNothingWithAnEmptyList(final String url) {
        assertThat(new ProbeHostAllowlist(List.of()).allows(url)).isFalse();
    }
}
