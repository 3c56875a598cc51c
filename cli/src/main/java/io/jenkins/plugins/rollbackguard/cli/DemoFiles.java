package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.jenkins.plugins.rollbackguard.cli.demo.ShopDeployCommand;

/**
 * The demo's files: two shop artifacts (v1 healthy; v2 with 12% 5xx and payment success 0.70), the
 * shop's data directory, and the policy (HTTP probes on the shop's stats, or Prometheus queries).
 *
 * @param root
 *         the work directory
 * @param port
 *         the shop's port
 */
record DemoFiles(Path root, int port) {
    static DemoFiles write(final Path root, final int port) throws IOException {
        DemoFiles files = new DemoFiles(root, port);
        Files.createDirectories(files.data());
        Files.writeString(files.v1(), "version=1.0\nerrorRate=0.005\npaymentSuccess=0.97\nlatencyMillis=80\n");
        Files.writeString(files.v2(), "version=2.0\nerrorRate=0.12\npaymentSuccess=0.70\nlatencyMillis=120\n");
        return files;
    }

    Path data() {
        return root.resolve("shop-data");
    }

    Path v1() {
        return root.resolve("shop-1.0.properties");
    }

    Path v2() {
        return root.resolve("shop-2.0.properties");
    }

    Path pidFile() {
        return root.resolve("shop.pid");
    }

    /** The deploy command: the hidden {@code shop-deploy} of this very jar, with the artifact placeholder. */
    List<String> deployCommand(final String classPath) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-XX:TieredStopAtLevel=1", "-cp", classPath, Main.class.getName(),
                "shop-deploy", "--port", Integer.toString(port), "--artifact", "{artifact}", "--data", data().toString(),
                "--pidfile", pidFile().toString());
    }

    String httpPolicy() {
        String stats = "http://127.0.0.1:" + port + "/api/stats";
        return """
                # The demo shop's policy: an absolute threshold and a baseline-relative one.
                environment: demo-shop
                probes:
                  - type: http
                    name: error-rate
                    url: %s
                    jsonPointer: /error_rate
                    failIf: "> 5%%"
                    analysis: {interval: 1s, count: 8, initialDelay: 2s, failureLimit: 1}
                  - type: http
                    name: payment-success
                    url: %s
                    jsonPointer: /payment_success
                    failIf: "drop > 20%%"
                    analysis: {interval: 1s, count: 8, initialDelay: 2s, failureLimit: 1, baselineSamples: 3}
                  - type: http
                    name: health
                    url: http://127.0.0.1:%d/health
                    analysis: {interval: 1s, count: 8, failureLimit: 1}
                backups:
                  - type: files
                    path: %s
                cooldown: 1m
                """.formatted(stats, stats, port, data());
    }

    String prometheusPolicy(final String prometheusUrl) {
        return """
                # The demo shop's policy, judged through Prometheus.
                environment: demo-shop
                probes:
                  - type: prometheus
                    name: error-rate
                    url: %s
                    query: sum(rate(shop_http_requests_total{code="500"}[10s])) / sum(rate(shop_http_requests_total[10s]))
                    failIf: "> 5%%"
                    analysis: {interval: 1s, count: 10, initialDelay: 4s, failureLimit: 1, onNoData: ignore}
                  - type: prometheus
                    name: payment-success
                    url: %s
                    query: shop_payment_success_ratio
                    failIf: "drop > 20%%"
                    analysis: {interval: 1s, count: 10, initialDelay: 4s, failureLimit: 1, baselineSamples: 3, onNoData: ignore}
                backups:
                  - type: files
                    path: %s
                cooldown: 1m
                """.formatted(prometheusUrl, prometheusUrl, data());
    }

    /** Referenced so that the demo's stop and deploy share one notion of the pid file. */
    static Class<?> deployer() {
        return ShopDeployCommand.class;
    }
}
