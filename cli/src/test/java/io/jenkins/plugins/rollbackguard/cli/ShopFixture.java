package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jenkins.plugins.rollbackguard.cli.demo.ShopDeployCommand;

/**
 * A demo shop for end-to-end tests: artifacts with chosen behaviour, the deploy command, a policy
 * template with a fast watch, and cleanup of the shop process.
 */
final class ShopFixture implements AutoCloseable {
    private final Path work;
    private final int port;

    ShopFixture(final Path work) throws IOException {
        this.work = work;
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
        Files.createDirectories(work.resolve("data"));
    }

    Path artifact(final String version, final double errorRate) throws IOException {
        Path file = work.resolve("shop-" + version + ".properties");
        Files.writeString(file, "version=%s%nerrorRate=%s%npaymentSuccess=0.97%nlatencyMillis=20%n".formatted(version, errorRate));
        return file;
    }

    List<String> deployCommand() {
        return List.of(CliProcess.java(), "-XX:TieredStopAtLevel=1", "-cp", CliProcess.jar().toString(),
                Main.class.getName(), "shop-deploy", "--port", Integer.toString(port), "--artifact", "{artifact}",
                "--data", work.resolve("data").toString(), "--pidfile", work.resolve("shop.pid").toString());
    }

    /** Starts the shop directly, outside the guard (what already runs before adoption). */
    void startDirectly(final Path artifact) {
        List<String> command = new ArrayList<>();
        deployCommand().forEach(arg -> command.add(arg.replace("{artifact}", artifact.toString())));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CliProcess.Result result = CliProcess.finish(process, java.time.Duration.ofMinutes(1));
            if (result.exit() != 0) {
                throw new AssertionError("shop did not start: " + result.output());
            }
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Path policy(final String extra) throws IOException {
        Path file = work.resolve("policy-" + System.nanoTime() + ".yaml");
        Files.writeString(file, """
                environment: e2e
                probes:
                  - type: http
                    name: error-rate
                    url: http://127.0.0.1:%d/api/stats
                    jsonPointer: /error_rate
                    failIf: "> 5%%"
                    analysis: {interval: 500ms, count: 4, initialDelay: 1s, failureLimit: 1}
                cooldown: 10m
                lockTimeout: 2m
                """.formatted(port) + extra);
        return file;
    }

    String runningVersion() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        int at = body.indexOf("\"version\":\"");
        return body.substring(at + 11, body.indexOf('"', at + 11));
    }

    @Override
    public void close() throws Exception {
        ShopDeployCommand.stop(work.resolve("shop.pid"));
    }
}
