package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

/**
 * A local service whose health the tests switch: it answers {@code {"rate": r}} on {@code /health}, and the
 * guarded deploys probe it with {@code jsonPointer: '/rate', failIf: '< 0.9'}.
 */
final class HealthServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicReference<String> rate = new AtomicReference<>("1.0");
    private final AtomicInteger badAnswersLeft = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    HealthServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            requests.incrementAndGet();
            String now = badAnswersLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? "0.5" : rate.get();
            byte[] body = ("{\"rate\": " + now + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** @return the probe URL */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
    }

    /** @return the port: a proxy port too, since it answers {@code /health} whatever host the request names */
    int port() {
        return server.getAddress().getPort();
    }

    /** @return how many requests it answered */
    int requests() {
        return requests.get();
    }

    void healthy() {
        rate.set("1.0");
    }

    /**
     * Answers unhealthy a number of times, then healthy again: a bad deploy whose revert finds the service well.
     *
     * @param answers
     *         how many unhealthy answers
     */
    void unhealthyFor(final int answers) {
        rate.set("1.0");
        badAnswersLeft.set(answers);
    }

    void unhealthy() {
        rate.set("0.5");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
