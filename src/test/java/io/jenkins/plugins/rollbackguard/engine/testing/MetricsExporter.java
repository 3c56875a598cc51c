package io.jenkins.plugins.rollbackguard.engine.testing;

import java.io.IOException;

/**
 * A tiny exporter (serving Prometheus text on {@code /metrics}) whose figures a
 * test drives: every scrape adds 100 requests, of which {@link #setErrorsPerScrape} are errors, to
 * {@code app_requests_total{status="ok"|"error"}}; {@code app_success_ratio} is a gauge set directly.
 */
public final class MetricsExporter implements AutoCloseable {
    private final MetricsEndpoint endpoint;
    private long ok;
    private long errors;
    private int errorsPerScrape;
    private double successRatio = 0.97;

    /**
     * Starts the exporter on a free loopback port.
     *
     * @throws IOException
     *         if it cannot bind
     */
    public MetricsExporter() throws IOException {
        endpoint = new MetricsEndpoint(this::scrape);
    }

    /** @return host:port for a scrape config */
    public String target() {
        return endpoint.target();
    }

    /**
     * Sets how many of each scrape's 100 requests fail.
     *
     * @param count
     *         errors per scrape, 0 to 100
     */
    public synchronized void setErrorsPerScrape(final int count) {
        errorsPerScrape = count;
    }

    /**
     * Sets the success gauge.
     *
     * @param ratio
     *         the value
     */
    public synchronized void setSuccessRatio(final double ratio) {
        successRatio = ratio;
    }

    private synchronized String scrape() {
        errors += errorsPerScrape;
        ok += 100 - errorsPerScrape;
        return """
                # TYPE app_requests_total counter
                app_requests_total{status="ok"} %d
                app_requests_total{status="error"} %d
                # TYPE app_success_ratio gauge
                app_success_ratio %s
                """.formatted(ok, errors, successRatio);
    }

    @Override
    public void close() throws InterruptedException {
        endpoint.close();
    }
}
