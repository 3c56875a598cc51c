package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The application a restart test deploys: a real local HTTP server whose {@code /health} answers from the file a
 * deploy installed: 500 while the installed version says "bad", 200 otherwise (also when nothing is installed yet).
 * It counts the requests it answered, so that a test can tell how many samples a process took.
 */
final class HealthServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "health-server");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Path installed;

    HealthServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/health", this::health);
        server.start();
    }

    /** @return the URL of the health endpoint */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
    }

    /** @param file where deploys install the application from now on */
    void serveFrom(final Path file) {
        installed = file;
    }

    /** @return the requests answered so far */
    int requests() {
        return requests.get();
    }

    private void health(final HttpExchange exchange) throws IOException {
        Path file = installed;
        String version = file != null && Files.exists(file) ? Files.readString(file).strip() : "none";
        boolean bad = version.contains("bad");
        byte[] body = ("version " + version).getBytes(StandardCharsets.UTF_8);
        requests.incrementAndGet();
        exchange.sendResponseHeaders(bad ? 500 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
