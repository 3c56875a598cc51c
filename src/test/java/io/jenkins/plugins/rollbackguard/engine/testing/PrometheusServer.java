package io.jenkins.plugins.rollbackguard.engine.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.Assumptions;

/**
 * A private Prometheus (the Debian {@code prometheus} binary) on a free loopback port with a temporary
 * data directory, scraping one target every second or at a given interval. Close it to stop the process and
 * delete the directory.
 */
public final class PrometheusServer implements AutoCloseable {
    /** Set to {@code true} to skip, rather than fail, when the binary is missing. */
    public static final String ALLOW_MISSING = "rollbackguard.allowMissingServers";
    /** Names another binary (a path, or a name looked up on the PATH); default {@code prometheus}. */
    public static final String BINARY = "rollbackguard.prometheus";

    private static final Duration DEFAULT_SCRAPE = Duration.ofSeconds(1);

    private final Path dir;
    private final int port;
    private final Process process;

    private PrometheusServer(final Path dir, final int port, final Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** @return the binary to run */
    public static String binary() {
        return System.getProperty(BINARY, "prometheus");
    }

    /** @return whether the Prometheus binary exists (as a path, or on the PATH) */
    public static boolean isInstalled() {
        return isInstalled(binary());
    }

    /**
     * Tells whether a binary of the Prometheus packages ({@code prometheus}, {@code promtool}) exists.
     *
     * @param binary
     *         a path, or a name looked up on the PATH
     * @return whether it is executable
     */
    public static boolean isInstalled(final String binary) {
        if (binary.contains(File.separator)) {
            return Files.isExecutable(Path.of(binary));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).anyMatch(p -> Files.isExecutable(Path.of(p, binary)));
    }

    /**
     * Fails when a binary of the Debian package {@code prometheus} is missing, or skips the test (a JUnit
     * assumption) when {@link #ALLOW_MISSING} is {@code true}: CI must not pass silently without the server.
     *
     * @param binary
     *         a path, or a name looked up on the PATH
     */
    public static void requireInstalled(final String binary) {
        if (isInstalled(binary)) {
            return;
        }
        Assumptions.assumeThat(Boolean.getBoolean(ALLOW_MISSING)).as("binary '%s' missing; skipped because %s=true",
                binary, ALLOW_MISSING).isFalse();
        throw new AssertionError("binary '" + binary + "' missing: install the Debian package prometheus, or set -D"
                + ALLOW_MISSING + "=true to skip");
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
        return start(target, DEFAULT_SCRAPE);
    }

    /**
     * Starts Prometheus scraping one target at an interval and waits until it is ready. Below a second the
     * scrape times out at 80% of the interval (Prometheus refuses a timeout above the interval), else at the
     * interval itself.
     *
     * @param target
     *         host:port of the exporter to scrape
     * @param scrapeInterval
     *         how often to scrape it: a positive whole number of milliseconds
     * @return the running server
     * @throws IOException
     *         if it cannot be started or does not become ready within 30 s
     * @throws InterruptedException
     *         if interrupted while waiting
     */
    public static PrometheusServer start(final String target, final Duration scrapeInterval)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("rollback-guard-prometheus");
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, config(target, scrapeInterval));
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

    /** @return the configuration: one job scraping the target at the interval, times out as {@link #start} says */
    static String config(final String target, final Duration scrapeInterval) {
        long interval = scrapeInterval.toMillis();
        if (interval <= 0 || !Duration.ofMillis(interval).equals(scrapeInterval)) {
            throw new IllegalArgumentException("scrapeInterval: expected a positive whole number of milliseconds, got "
                    + scrapeInterval);
        }
        long timeout = interval < 1000 ? interval * 4 / 5 : interval;
        return """
                global:
                  scrape_interval: %dms
                  scrape_timeout: %dms
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: app
                    static_configs:
                      - targets: ['%s']
                """.formatted(interval, Math.max(timeout, 1), target);
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
        String uri = url() + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
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
