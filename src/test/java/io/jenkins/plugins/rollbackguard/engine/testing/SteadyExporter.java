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
 * An exporter (JDK {@link HttpServer} serving Prometheus text on {@code /metrics}) whose counter rises with
 * the clock, as a shop's does, not with the scrapes as {@link MetricsExporter}'s: one request every 10 ms since
 * it started, every hundredth an error, in {@code app_served_total{status="ok"|"error"}}.
 */
public final class SteadyExporter implements AutoCloseable {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final long started = System.nanoTime();

    /**
     * Starts the exporter on a free loopback port.
     *
     * @throws IOException
     *         if it cannot bind
     */
    public SteadyExporter() throws IOException {
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
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
