package io.jenkins.plugins.rollbackguard.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollback-guard shop-deploy}: the demo's deploy command. Stops the shop process named in the pid
 * file, starts the shop with the given artifact in a new process, and returns once it answers on
 * {@code /health} with the artifact's version: a real process replaced by another.
 */
@Command(name = "shop-deploy", hidden = true, description = "Deploy the demo shop (used by 'demo').")
public final class ShopDeployCommand implements Callable<Integer> {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--port", required = true)
    private int port;

    @Option(names = "--artifact", required = true)
    private Path artifact;

    @Option(names = "--data", required = true)
    private Path data;

    @Option(names = "--pidfile", required = true)
    private Path pidFile;

    @Override
    public Integer call() throws Exception {
        ShopService.ShopBehaviour behaviour = ShopService.ShopBehaviour.read(artifact);
        stop(pidFile);
        Path log = pidFile.resolveSibling("shop.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ShopService.class.getName(), Integer.toString(port),
                artifact.toString(), data.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Files.writeString(pidFile, Long.toString(process.pid()));
        if (!awaitVersion(behaviour.version())) {
            System.err.printf("shop %s did not answer on port %d within %ds (see %s)%n", behaviour.version(), port,
                    START_TIMEOUT.toSeconds(), log);
            return 1;
        }
        System.out.printf("shop %s runs as pid %d on port %d%n", behaviour.version(), process.pid(), port);
        return 0;
    }

    /**
     * Stops the shop named in a pid file, if it runs.
     *
     * @param pidFile
     *         the pid file
     * @throws IOException
     *         if the pid file cannot be read
     */
    public static void stop(final Path pidFile) throws IOException, InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> old = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
        if (old.isPresent() && old.get().info().commandLine().orElse("").contains(ShopService.class.getName())) {
            old.get().destroy();
            old.get().onExit().get(10, TimeUnit.SECONDS);
        }
    }

    private boolean awaitVersion(final String version) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"version\":\"" + version + "\"")) {
                    return true;
                }
            }
            catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        return false;
    }
}
