package io.jenkins.plugins.rollbackguard.steps;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

/**
 * A local service whose health the tests switch: it answers {@code {"rate": r}} on {@code /health}, and the
 * guarded deploys probe it with {@code jsonPointer: '/rate', failIf: '< 0.9'}. A deploy is a write of the version
 * to the service's file ({@link #deployStep()}, in the guarded body): a version deployed after
 * {@link #nextDeployAnswersBadly} answers badly after its deploy, never before, so the answers preflight and
 * baselines take before the body are the old version's, as with a real service.
 */
final class HealthServer implements AutoCloseable {
    private final HttpServer server;
    private final Path deployed;
    private final AtomicReference<String> rate = new AtomicReference<>("1.0");
    private final AtomicInteger nextDeployBadAnswers = new AtomicInteger();
    private final AtomicInteger badAnswersLeft = new AtomicInteger();
    private final AtomicReference<String> running = new AtomicReference<>("");
    private final AtomicInteger requests = new AtomicInteger();

    HealthServer() throws IOException {
        deployed = Files.createTempFile("health-server-deployed", ".txt");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            requests.incrementAndGet();
            noticeDeploy();
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

    /** A new version was written since the last request: it answers as the test said the next deploy would. */
    private synchronized void noticeDeploy() {
        String version;
        try {
            version = Files.readString(deployed, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!version.equals(running.getAndSet(version))) {
            badAnswersLeft.set(nextDeployBadAnswers.getAndSet(0));
        }
    }

    /**
     * The Pipeline step that deploys: writes the version the body deploys (the content of {@code app.txt}) to the
     * service's file. Put it in the guarded body.
     *
     * @return the Groovy statement
     */
    String deployStep() {
        return "writeFile file: '%s', text: readFile('app.txt')".formatted(deployed.toString().replace('\\', '/'));
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
     * Makes the next version deployed ({@link #deployStep()}) answer unhealthy a number of times after its deploy,
     * then healthy again: a bad deploy whose revert (another version) finds the service well.
     *
     * @param answers
     *         how many unhealthy answers
     */
    void nextDeployAnswersBadly(final int answers) {
        rate.set("1.0");
        nextDeployBadAnswers.set(answers);
    }

    void unhealthy() {
        rate.set("0.5");
    }

    @Override
    public void close() {
        server.stop(0);
        try {
            Files.deleteIfExists(deployed);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
