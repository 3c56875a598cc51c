package io.jenkins.plugins.rollbackguard.engine.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Prometheus (the Debian {@code prometheus} binary) on a free loopback port with a temporary
 * data directory and a 1 s scrape interval. Close it to stop the process and delete the directory.
 */
public final class PrometheusServer implements AutoCloseable {
    /** Set to {@code true} to skip, rather than fail, when the binary is missing. */
    public static final String ALLOW_MISSING = "rollbackguard.allowMissingServers";

    private final Path dir;
    private final int port;
    private final Process process;

    private PrometheusServer(final Path dir, final int port, final Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Names another binary (a path, or a name looked up on the PATH); default {@code prometheus}. */
    public static final String BINARY = "rollbackguard.prometheus";

    /** @return the binary to run */
    public static String binary() {
        return System.getProperty(BINARY, "prometheus");
    }

    /** @return whether the binary exists (as a path, or on the PATH) */
    public static boolean isInstalled() {
        String binary = binary();
        if (binary.contains(File.separator)) {
            return Files.isExecutable(Path.of(binary));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).anyMatch(p -> Files.isExecutable(Path.of(p, binary)));
    }

    /**
     * Starts Prometheus scraping one target every second and waits until it is ready.
     *
     * @param target
     *         host:port of the exporter to scrape
     * @return the running server
     * @throws IOException
     *         if it cannot be started or does not become ready within 30 s
     * @throws InterruptedException
     *         if interrupted while waiting
     */
    public static PrometheusServer start(final String target) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("rollback-guard-prometheus");
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: app
                    static_configs:
                      - targets: ['%s']
                """.formatted(target));
        Process process = new ProcessBuilder(binary(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(dir, port, process);
        try {
            server.awaitReady();
        }
        catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** @return the base URL */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Queries Prometheus directly, for tests that wait until a series exists.
     *
     * @param query
     *         the PromQL expression
     * @return the raw JSON answer
     * @throws IOException
     *         if the query fails
     * @throws InterruptedException
     *         if interrupted
     */
    public String query(final String query) throws IOException, InterruptedException {
        String uri = url() + "/api/v1/query?query="
                + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            }
            catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException("prometheus did not become ready on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
