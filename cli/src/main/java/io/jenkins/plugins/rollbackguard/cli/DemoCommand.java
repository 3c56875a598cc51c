package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.cli.demo.ShopDeployCommand;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardRefusedException;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rollback-guard demo}: the project's main job on a machine without Jenkins. A real shop service
 * runs v1; v1 is deployed under the guard and judged GOOD; v2 (more 5xx, fewer successful payments) is
 * deployed under the guard with an absolute threshold (5xx rate over 5%) and a baseline-relative one
 * (payment success drops by more than 20%); the guard detects it, rolls back to v1's stored artifact,
 * verifies v1, and prints the timeline and the incident's figures as the ledger computed them (time to detect,
 * time to restore, incident duration).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Deploy a real sample shop, break it, and watch rollback-guard detect it and roll it back.",
        footerHeading = "%nExample:%n", footer = "  rollback-guard demo --dir /tmp/rollback-guard-demo")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "Work directory (default: a new temp directory).")
    private Path dir;

    @Option(names = "--prometheus", description = "Judge through a real Prometheus scraping the shop (needs the prometheus binary).")
    private boolean prometheus;

    // Not the user's home: the demo leaves its environment frozen, and that belongs with the demo, not beside real ones.
    @Option(names = "--home", paramLabel = "DIR",
            description = "Where the demo keeps its ledger, artifacts and backups (default: DIR/home of --dir).")
    private Path home;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("rollback-guard-demo");
        int port = freePort();
        DemoFiles files = DemoFiles.write(work, port);
        PrometheusProcess prom = prometheus ? PrometheusProcess.start(work.resolve("prometheus"), port) : null;
        try {
            Policy policy = new PolicyReader().parse("demo policy",
                    prom == null ? files.httpPolicy() : files.prometheusPolicy(prom.url()));
            Files.writeString(work.resolve("policy.yaml"), prom == null ? files.httpPolicy() : files.prometheusPolicy(prom.url()));
            out.printf("rollback-guard demo in %s: shop on 127.0.0.1:%d%s%n", work, port,
                    prom == null ? "" : ", Prometheus on " + prom.url());
            return new DemoRun(out, work, home != null ? home.toAbsolutePath() : work.resolve("home"), policy, files,
                    prom).run();
        }
        finally {
            ShopDeployCommand.stop(files.pidFile());
            if (prom != null) {
                prom.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The demo's steps, with the host it needs. */
    private record DemoRun(PrintWriter out, Path work, Path home, Policy policy, DemoFiles files, PrometheusProcess prom) {
        int run() throws Exception {
            String jar = System.getProperty("java.class.path");
            try (CliHost host = new CliHost(home, home.resolve("ledger"), out)) {
                Circuit before = Summary.circuitOf(host.ledger(), policy.environment());
                if (before != null && before.isOpen()) { // a previous demo in this --dir left it frozen
                    throw new GuardRefusedException(("%s in %s is still frozen by a previous demo (circuit OPEN since "
                            + "%s): reset it with rollback-guard reset --home %s --env %s --reason \"demo again\", or "
                            + "give the demo a new --dir").formatted(policy.environment(), home, before.since(),
                            shellWord(home.toString()), policy.environment()));
                }
                out.println("\n== 1. start shop v1 and record it as the good point to return to (adopt)");
                RollbackPoint v1 = AdoptCommand.adopt(host, policy, files.v1(), files.deployCommand(jar), "c0ffee1", null);
                String started = new CommandDeployer(files.deployCommand(jar), host.artifacts(policy.environment()),
                        new LocalCommandRunner(), Duration.ofMinutes(1)).deploy(v1);
                if (started != null) {
                    out.println("demo: shop v1 did not start: " + started);
                    return 1;
                }
                out.printf("adopted %s; shop v1 is serving; letting it take orders for 3 s%n", v1.label());
                Thread.sleep(3000);
                out.println("\n== 2. deploy shop v2 (12% 5xx, payment success 0.97 -> 0.70) under the guard");
                GuardOutcome v2 = DeployCommand.deploy(host, policy, files.v2(), files.deployCommand(jar), "c0ffee2",
                        Map.of("VERSION", "2.0"), null, "demo-v2");
                String running = currentVersion();
                out.println("\n== 3. timeline");
                printTimeline(v2);
                printFigures(host.ledger(), v2);
                boolean ok = v2.result() == GuardOutcome.Result.REVERTED && "1.0".equals(running);
                out.printf("%nshop answers version %s after the rollback%s%n", running, ok ? " (verified)" : "");
                out.printf("orders kept in %s: %d lines%n", files.data().resolve("orders.log"),
                        Files.exists(files.data().resolve("orders.log")) ? Files.readAllLines(files.data().resolve("orders.log")).size() : 0);
                out.printf("ledger: rollback-guard points --home %s --env demo-shop%n", home);
                out.println(ok ? "demo: OK - v2 was detected and rolled back to v1" : "demo: FAILED - " + v2.explanation());
                printFrozen(host.ledger().circuit(policy.environment()), policy.environment().value());
                return ok ? 0 : 1;
            }
        }

        /**
         * The last lines: a trip leaves the environment frozen, and a new user would otherwise only find out when the
         * next deploy is refused. The reset command is printed whole, with this demo's home, to be pasted as it is.
         */
        private void printFrozen(final Circuit circuit, final String environment) {
            if (!circuit.isOpen()) {
                out.printf("%s: circuit CLOSED (not frozen)%n", environment);
                return;
            }
            out.printf("%s is frozen: its circuit is OPEN since %s (opened by %s), and every deploy to it is refused until "
                    + "someone resets it:%n", environment, circuit.since(), circuit.by());
            out.printf("  rollback-guard reset --home %s --env %s --reason \"v2 rolled back, fixed in v3\"%n",
                    shellWord(home.toString()), environment);
        }

        private static String shellWord(final String word) {
            return word.matches("[A-Za-z0-9_./:@%+=,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
        }

        private void printTimeline(final GuardOutcome outcome) {
            List<Timeline.Entry> entries = outcome.timeline();
            for (Timeline.Entry e : entries) { // the live log's lines: one clock, the deploy's start
                out.println("  " + e.line());
            }
        }

        /** The incident's figures as the ledger computed them: the ones status, metrics and deploy --json give. */
        private void printFigures(final Ledger ledger, final GuardOutcome outcome) {
            RollbackPoint bad = outcome.point();
            ledger.incident(bad.environment(), bad.id()).filter(i -> !i.drill()).ifPresent(incident -> out.printf(
                    "%nincident %s: %s (goal: incident duration <= %d min)%n", bad.label(), incident.describe(),
                    IncidentFigures.GOAL.toMinutes()));
        }

        private String currentVersion() throws IOException, InterruptedException {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + files.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            int at = body.indexOf("\"version\":\"");
            return at < 0 ? "?" : body.substring(at + 11, body.indexOf('"', at + 11));
        }
    }
}
