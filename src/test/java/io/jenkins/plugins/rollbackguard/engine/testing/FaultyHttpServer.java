package io.jenkins.plugins.rollbackguard.engine.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real local HTTP server (JDK {@link HttpServer}) with injectable faults, one path each:
 * {@code /ok}, {@code /json} ({"rate": 0.97}), {@code /counts} ({"errors": 3, "http": {"requests": "412"}}),
 * {@code /slow} (300 ms), {@code /error} (500),
 * {@code /garbage} (200, not JSON), {@code /huge} (100 MiB), {@code /hang} (never answers),
 * {@code /redirect} (302 to /ok). It remembers the last Authorization header. Close it to stop it.
 */
public final class FaultyHttpServer implements AutoCloseable {
    private static final int MIB = 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicReference<String> lastAuthorization = new AtomicReference<>("");

    /**
     * Starts the server on a free loopback port.
     *
     * @throws IOException
     *         if it cannot bind
     */
    public FaultyHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/ok", e -> answer(e, 200, "ok"));
        server.createContext("/json", e -> answer(e, 200, "{\"rate\": 0.97, \"name\": \"shop\"}"));
        server.createContext("/counts", e -> answer(e, 200, "{\"errors\": 3, \"http\": {\"requests\": \"412\"}}"));
        server.createContext("/slow", e -> {
            pause(300);
            answer(e, 200, "slow but fine");
        });
        server.createContext("/error", e -> answer(e, 500, "internal error"));
        server.createContext("/garbage", e -> answer(e, 200, "\u0000\u00ff<<not json>>"));
        server.createContext("/huge", FaultyHttpServer::huge);
        server.createContext("/hang", e -> pause(Long.MAX_VALUE));
        server.createContext("/redirect", e -> {
            e.getResponseHeaders().add("Location", "/ok");
            answer(e, 302, "");
        });
        server.start();
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:4711} */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return the Authorization header of the last request, or empty */
    public String lastAuthorization() {
        return lastAuthorization.get();
    }

    /**
     * Finds a loopback port where nothing listens, for "connection refused".
     *
     * @return the port
     * @throws IOException
     *         if no port can be bound
     */
    public static int refusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void answer(final HttpExchange exchange, final int status, final String body) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        lastAuthorization.set(auth == null ? "" : auth);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void huge(final HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 100L * MIB);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 100 * 16; i++) {
                out.write(chunk);
            }
        }
        catch (IOException e) {
            // expected: the client stops reading after its cap and closes the connection
        }
    }

    private static void pause(final long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping the server interrupts a hanging handler
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
