package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local service that requires credentials, for end-to-end tests: {@code /stats} (bearer token) reports the error
 * rate of the version in a state file, or answers 500 for a version marked {@code bad}, echoing the request's
 * Authorization header as a careless server would; {@code /admin} (basic authentication) answers {@code {"ok":1}};
 * {@code /hook} (bearer token) is a webhook receiver that keeps each body. Wrong credentials get 401.
 */
final class AuthServer implements AutoCloseable {
    private final HttpServer server;
    private final Path state;
    private final String bearer;
    private final String basic;
    private final String hookBearer;
    private final List<String> hookBodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();

    AuthServer(final Path state, final String token, final String user, final String password, final String hookToken)
            throws IOException {
        this.state = state;
        this.bearer = "Bearer " + token;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.hookBearer = "Bearer " + hookToken;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/stats", this::stats);
        server.createContext("/admin", exchange -> answer(exchange, basic, 200, "{\"ok\":1}"));
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (authorized(exchange, hookBearer)) {
                hookBodies.add(body);
            }
            answer(exchange, hookBearer, 200, "{}");
        });
        server.start();
    }

    private void stats(final HttpExchange exchange) throws IOException {
        String version = Files.exists(state) ? Files.readString(state) : "";
        if (version.contains("bad")) {
            String echo = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")).replace("\"", "\\\"");
            answer(exchange, bearer, 500, "{\"error\":\"overloaded\",\"request\":{\"authorization\":\"" + echo + "\"}}");
            return;
        }
        answer(exchange, bearer, 200, "{\"error_rate\":0.0}");
    }

    private boolean authorized(final HttpExchange exchange, final String expected) {
        return expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private void answer(final HttpExchange exchange, final String expected, final int status, final String body)
            throws IOException {
        byte[] bytes;
        int code;
        if (authorized(exchange, expected)) {
            served.incrementAndGet();
            bytes = body.getBytes(StandardCharsets.UTF_8);
            code = status;
        }
        else {
            refused.incrementAndGet();
            bytes = "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8);
            code = 401;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    String url(final String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** @return the webhook bodies received with the right token */
    List<String> hookBodies() {
        return List.copyOf(hookBodies);
    }

    /** @return how many requests came with wrong or no credentials */
    int refused() {
        return refused.get();
    }

    /** @return how many requests came with the right credentials */
    int served() {
        return served.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
