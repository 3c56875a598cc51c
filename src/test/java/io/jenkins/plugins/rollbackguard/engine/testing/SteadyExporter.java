package io.jenkins.plugins.rollbackguard.engine.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * An exporter (serving Prometheus text on {@code /metrics}) whose counter rises with
 * the clock, as a shop's does, not with the scrapes as {@link MetricsExporter}'s: one request every 10 ms since
 * it started, every hundredth an error, in {@code app_served_total{status="ok"|"error"}}.
 */
public final class SteadyExporter implements AutoCloseable {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final MetricsEndpoint endpoint;
    private final long started = System.nanoTime();

    /**
     * Starts the exporter on a free loopback port.
     *
     * @throws IOException
     *         if it cannot bind
     */
    public SteadyExporter() throws IOException {
        endpoint = new MetricsEndpoint(this::scrape);
    }

    /** @return host:port for a scrape config */
    public String target() {
        return endpoint.target();
    }

    private String scrape() {
        long requests = (System.nanoTime() - started) / TICK_NANOS;
        long errors = requests / 100;
        return """
                # TYPE app_served_total counter
                app_served_total{status="ok"} %d
                app_served_total{status="error"} %d
                """.formatted(requests - errors, errors);
    }

    @Override
    public void close() throws InterruptedException {
        endpoint.close();
    }
}
