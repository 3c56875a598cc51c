package io.jenkins.plugins.rollbackguard.engine.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests the probe spec records: YAML binding, defaults, validation messages and Java serialisation. */
class ProbeSpecTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String POLICY = """
            - type: http
              name: health
              url: https://shop.example.com/healthz
              expectStatus: 200-299
              auth: {bearerSecret: SHOP_TOKEN}
              analysis: {interval: 15s, duration: 5m, failureLimit: 1, window: {n: 2, m: 3}, onNoData: fail}
            - type: prometheus
              name: errors
              url: http://prometheus:9090
              query: sum(rate(http_errors_total[1m])) / sum(rate(http_requests_total[1m]))
              failIf: "> 5%"
            - type: command
              name: smoke
              command: [./smoke.sh, --quick]
              secretEnvironment: {API_KEY: SMOKE_KEY}
              valuePattern: "p99=(\\\\d+)"
              failIf: rise > 50%
            """;

    @Test
    void shouldReadAPolicyFileWithDefaults() throws IOException {
        List<ProbeSpec> specs = read(POLICY);

        assertThat(specs).extracting(ProbeSpec::name).containsExactly("health", "errors", "smoke");
        HttpProbeSpec http = (HttpProbeSpec) specs.get(0);
        assertThat(http.auth()).isEqualTo(Auth.bearer("SHOP_TOKEN"));
        assertThat(http.method()).isEqualTo("GET");
        assertThat(http.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(http.analysis().plannedSamples()).isEqualTo(20);
        assertThat(http.analysis().onNoData()).isEqualTo(ErrorPolicy.FAIL);
        assertThat(http.analysis().consecutiveErrorLimit()).isEqualTo(4);
        assertThat(specs.get(1).analysis()).isEqualTo(AnalysisSettings.defaults());
        assertThat(((CommandProbeSpec) specs.get(2)).valuePattern()).isEqualTo("p99=(\\d+)");
        assertThat(specs.get(2).thresholds().needsBaseline()).isTrue();
    }

    @Test
    void shouldSurviveJavaSerialisationAndJsonRoundTrip() throws Exception {
        List<ProbeSpec> specs = read(POLICY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(specs);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(specs);
        }
        String json = new ObjectMapper().writerFor(new TypeReference<List<ProbeSpec>>() { }).writeValueAsString(specs);
        assertThat(new ObjectMapper().readValue(json, new TypeReference<List<ProbeSpec>>() { })).isEqualTo(specs);
    }

    @Test
    void shouldNameFieldAndValueWhenInvalid() {
        assertThatThrownBy(() -> HttpProbeSpec.get("h", "ftp://example.com/x", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url:").hasMessageContaining("ftp://");
        assertThatThrownBy(() -> HttpProbeSpec.get("h", "file:///etc/passwd", null, null))
                .hasMessageStartingWith("url: only http and https");
        assertThatThrownBy(() -> HttpProbeSpec.get("h", "http://x/", "> 5 %%", null))
                .hasMessageStartingWith("h.failIf: expected");
        assertThatThrownBy(() -> AnalysisSettings.builder().interval("5x").build())
                .hasMessageStartingWith("analysis.interval: expected a unit").hasMessageContaining("'5x'");
        assertThatThrownBy(() -> AnalysisSettings.builder().window(3, 2).build())
                .hasMessage("analysis.window: need 1 <= n <= m, got n=3, m=2");
        assertThatThrownBy(() -> read("- {type: http, name: h, url: 'http://x/', expectStatus: '2xx,6xx'}"))
                .hasMessageContaining("expectStatus: expected a status").hasMessageContaining("2xx,6xx");
        assertThatThrownBy(() -> read("- {type: prometheus, name: p, url: 'http://x/', query: up, aggregation: p99}"))
                .hasMessageContaining("aggregation: expected sum, avg, min, max or count, got 'p99'");
    }

    @Test
    void shouldParseStatusSets() {
        StatusSet set = StatusSet.parse("expectStatus", "200, 204, 301-302, 4xx");
        assertThat(List.of(200, 204, 301, 302, 404)).allMatch(set::contains);
        assertThat(List.of(201, 303, 500)).noneMatch(set::contains);
    }

    @Test
    void shouldRefuseBasicAuthWithoutPassword() {
        assertThatThrownBy(() -> YAML.convertValue(Map.of("username", "u"), Auth.class))
                .hasMessageContaining("auth: basic authentication needs both username and passwordSecret");
    }

    private static List<ProbeSpec> read(final String yaml) throws IOException {
        return YAML.readValue(yaml, new TypeReference<>() { });
    }
}
