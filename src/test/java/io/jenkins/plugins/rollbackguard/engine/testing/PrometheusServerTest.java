package io.jenkins.plugins.rollbackguard.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Tests the configuration that {@link PrometheusServer} writes: Prometheus refuses a scrape timeout above its interval. */
class PrometheusServerTest {
    @Test
    void shouldTimeOutAt80PercentBelowASecondAndAtTheIntervalAbove() {
        assertThat(PrometheusServer.config("127.0.0.1:9", Duration.ofMillis(250)))
                .contains("scrape_interval: 250ms\n  scrape_timeout: 200ms\n", "- targets: ['127.0.0.1:9']");
        assertThat(PrometheusServer.config("127.0.0.1:9", Duration.ofSeconds(1)))
                .contains("scrape_interval: 1000ms\n  scrape_timeout: 1000ms\n");
    }

    @Test
    void shouldRefuseAnIntervalThatIsNotAPositiveWholeNumberOfMilliseconds() {
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusServer.config("t", Duration.ZERO))
                .withMessage("scrapeInterval: expected a positive whole number of milliseconds, got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> PrometheusServer.config("t", Duration.ofNanos(1_500_000)))
                .withMessageContaining("got PT0.0015S");
    }
}
