package io.jenkins.plugins.rollbackguard.engine.guard;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local webhook endpoint for tests: records each body and Authorization header, answers 503 while
 * {@link #failNext(int)} failures are left, then 200. Also a {@link GuardListener} that keeps error lines.
 */
final class WebhookReceiver implements AutoCloseable, GuardListener {
    private final HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 503 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void failNext(final int count) {
        failuresLeft.set(count);
    }

    List<String> bodies() {
        return bodies;
    }

    List<String> authorizations() {
        return authorizations;
    }

    List<String> errors() {
        return errors;
    }

    @Override
    public void info(final String line) {
        // not asserted
    }

    @Override
    public void error(final String line) {
        errors.add(line);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
