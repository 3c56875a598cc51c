package io.jenkins.plugins.rollbackguard.engine.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny exporter (JDK {@link HttpServer} serving Prometheus text on {@code /metrics}) whose figures a
 * test drives: every scrape adds 100 requests, of which {@link #setErrorsPerScrape} are errors, to
 * {@code app_requests_total{status="ok"|"error"}}; {@code app_success_ratio} is a gauge set directly.
 */
public final class MetricsExporter implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
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
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** @return host:port for a scrape config */
    public String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
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
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
