package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A private Prometheus for {@code demo --prometheus}: loopback port, temp data, scraping the shop every second. */
final class PrometheusProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private PrometheusProcess(final Process process, final int port) {
        this.process = process;
        this.port = port;
    }

    static PrometheusProcess start(final Path dir, final int shopPort) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("data"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: shop
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(shopPort));
        Process process = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusProcess prometheus = new PrometheusProcess(process, port);
        prometheus.awaitReady();
        return prometheus;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady() throws InterruptedException, IOException {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 150; i++) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            }
            catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IOException("prometheus did not become ready on " + url());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
