package io.jenkins.plugins.rollbackguard.cli.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The demo's sample shop: a real HTTP service in its own process. Its behaviour comes from the
 * deployed artifact (a properties file: version, error rate, payment success, latency), so deploying
 * v2 really changes what the probes see. It serves {@code /health}, {@code /api/stats} (JSON over the
 * last 10 s), {@code /metrics} (Prometheus text), and drives its own checkout traffic (40 orders/s),
 * appending successful orders to {@code orders.log} in its data directory.
 *
 * <p>Usage: {@code java -cp rollback-guard.jar io.jenkins.plugins.rollbackguard.cli.demo.ShopService
 * PORT ARTIFACT DATA_DIR}</p>
 */
public final class ShopService {
    private static final int ORDERS_PER_SECOND = 40;

    private final ShopBehaviour behaviour;
    private final SlidingWindow window = new SlidingWindow(10);
    private final Path orders;
    private final Random random = new Random();
    private long requests;
    private long errors;
    private long payments;
    private long paid;

    private ShopService(final ShopBehaviour behaviour, final Path dataDir) {
        this.behaviour = behaviour;
        this.orders = dataDir.resolve("orders.log");
    }

    /**
     * Starts the shop.
     *
     * @param args
     *         port, artifact file, data directory
     * @throws IOException
     *         if the port is taken or the artifact unreadable
     */
    public static void main(final String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        ShopBehaviour behaviour = ShopBehaviour.read(Path.of(args[1]));
        Path data = Files.createDirectories(Path.of(args[2]));
        new ShopService(behaviour, data).serve(port);
    }

    private void serve(final int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/health", exchange -> respond(exchange, 200, "application/json",
                "{\"status\":\"UP\",\"version\":\"" + behaviour.version() + "\"}"));
        server.createContext("/api/stats", exchange -> respond(exchange, 200, "application/json", stats()));
        server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4", metrics()));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
        traffic.scheduleAtFixedRate(this::checkout, 0, 1000 / ORDERS_PER_SECOND, TimeUnit.MILLISECONDS);
        System.out.println("shop " + behaviour.version() + " listening on 127.0.0.1:" + port);
    }

    /** One simulated checkout: an HTTP 500 at the artifact's error rate, else a payment that may fail. */
    private synchronized void checkout() {
        requests++;
        boolean error = random.nextDouble() < behaviour.errorRate();
        boolean paidOk = !error && random.nextDouble() < behaviour.paymentSuccess();
        long latency = Math.round(behaviour.latencyMillis() * (0.8 + 0.4 * random.nextDouble()));
        if (error) {
            errors++;
        }
        else {
            payments++;
            if (paidOk) {
                paid++;
                appendOrder(latency);
            }
        }
        window.record(error, !error, paidOk, latency);
    }

    private void appendOrder(final long latency) {
        try {
            Files.writeString(orders, "order " + paid + " v" + behaviour.version() + " " + latency + "ms\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            System.err.println("cannot write " + orders + ": " + e);
        }
    }

    private synchronized String stats() {
        SlidingWindow.Totals totals = window.totals();
        return String.format(Locale.ROOT,
                "{\"version\":\"%s\",\"window_seconds\":10,\"requests\":%d,\"error_rate\":%.4f,"
                        + "\"payment_success\":%.4f,\"latency_p95_ms\":%d}",
                behaviour.version(), totals.requests(), totals.errorRate(), totals.paymentSuccess(), totals.latencyP95());
    }

    private synchronized String metrics() {
        SlidingWindow.Totals totals = window.totals();
        return String.format(Locale.ROOT, """
                # TYPE shop_http_requests_total counter
                shop_http_requests_total{code="200"} %d
                shop_http_requests_total{code="500"} %d
                # TYPE shop_payments_total counter
                shop_payments_total %d
                # TYPE shop_payments_succeeded_total counter
                shop_payments_succeeded_total %d
                # TYPE shop_payment_success_ratio gauge
                shop_payment_success_ratio %.4f
                # TYPE shop_latency_p95_milliseconds gauge
                shop_latency_p95_milliseconds %d
                """, requests - errors, errors, payments, paid, totals.paymentSuccess(), totals.latencyP95());
    }

    private static void respond(final HttpExchange exchange, final int status, final String type, final String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * What a shop version does, read from its artifact.
     *
     * @param version
     *         the version label
     * @param errorRate
     *         the share of checkouts that fail with HTTP 500
     * @param paymentSuccess
     *         the share of payments that succeed
     * @param latencyMillis
     *         the typical checkout latency
     */
    record ShopBehaviour(String version, double errorRate, double paymentSuccess, long latencyMillis) {
        static ShopBehaviour read(final Path artifact) throws IOException {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(artifact, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            return new ShopBehaviour(properties.getProperty("version", "?"),
                    Double.parseDouble(properties.getProperty("errorRate", "0")),
                    Double.parseDouble(properties.getProperty("paymentSuccess", "1")),
                    Long.parseLong(properties.getProperty("latencyMillis", "50")));
        }
    }
}
