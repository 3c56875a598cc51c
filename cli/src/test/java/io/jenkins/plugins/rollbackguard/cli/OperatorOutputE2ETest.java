package io.jenkins.plugins.rollbackguard.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

import static org.assertj.core.api.Assertions.*;

/**
 * The operator at 3 a.m. (issue #15, what the deploy printed and deployed, and the evidence), through the packaged
 * CLI: the deploy command's output shown live, its artifact under its own name, a rollback from another directory,
 * and the evidence bundle of a trip with the log tail of a real process, masked.
 */
class OperatorOutputE2ETest {
    private static final String SECRET = "shop-tok-7Hq2ZpX9wLk4";

    @TempDir
    private Path work;

    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void createDirectories() throws Exception {
        Files.createDirectories(work.resolve("app"));
        Files.createDirectories(work.resolve("elsewhere"));
    }

    @AfterEach
    void stopProcesses() throws Exception {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The script refuses anything but a .war, prints on both streams, and waits for the test before it ends. */
    private Path deployScript() throws Exception {
        Path script = work.resolve("app/deploy.sh");
        Files.writeString(script, """
                #!/bin/sh
                case "$1" in
                  *.war) ;;
                  *) echo "refusing $1: not a .war" >&2; exit 9 ;;
                esac
                echo "installing $(basename "$1")"
                echo "warming up the cache" >&2
                while [ ! -f "$2" ]; do sleep 0.05; done
                cp "$1" current.war
                echo "installed $(cat current.war)"
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private Path war(final String version) throws Exception {
        Files.createDirectories(work.resolve("build-" + version));
        return Files.writeString(work.resolve("build-" + version + "/shop-" + version + ".war"), "shop " + version);
    }

    @Test
    void shouldShowTheDeployOutputLiveGiveTheArtifactItsNameAndRollBackFromAnotherDirectory() throws Exception {
        deployScript();
        Path policy = Files.writeString(work.resolve("policy.yaml"), "environment: ops\n");
        Path go = work.resolve("go");
        CliProcess cli = new CliProcess(work.resolve("home"));

        Process deploy = cli.startIn(work.resolve("app"), env -> { }, "deploy", "--policy", policy.toString(),
                "--artifact", war("1.0").toString(), "--", "./deploy.sh", "{artifact}", go.toString());
        started.add(deploy);
        BlockingQueue<String> lines = lines(deploy);
        List<String> seen = new ArrayList<>();
        // stdout and stderr are read by two threads: their lines may come in either order
        until(lines, seen, "[deploy] installing shop-1.0.war", "[deploy:err] warming up the cache");
        assertThat(deploy.isAlive()).as("the lines came while the script still runs: %s", seen).isTrue();
        assertThat(seen).noneMatch(line -> line.contains("installed"));
        assertThat(seen).anyMatch(line -> line.matches("\\[ *\\+\\d+\\.\\ds] deploy +\\[deploy] installing shop-1.0.war"));
        Files.writeString(go, "go");
        until(lines, seen, "[deploy] installed shop 1.0");
        assertThat(deploy.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(deploy.exitValue()).as(String.join("\n", seen)).isZero();
        Path output = work.resolve("home/artifacts/ops/points/1/deploy-output.log");
        assertThat(output).content().contains("[deploy] installing shop-1.0.war\n")
                .contains("[deploy:err] warming up the cache\n").contains("[deploy] installed shop 1.0\n");

        CliProcess.Result second = cli.runIn(work.resolve("app"), "deploy", "--policy", policy.toString(),
                "--artifact", war("2.0").toString(), "--", "./deploy.sh", "{artifact}", go.toString());
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(work.resolve("app/current.war")).content().isEqualTo("shop 2.0");
        RollbackPoint recorded = Ledger.open(work.resolve("home/ledger")).point(EnvironmentName.of("ops"), 2);
        assertThat(recorded.attributes().get("deployCommand")).contains(work.resolve("app/deploy.sh").toString());
        assertThat(recorded.attributes().get("deployDirectory")).isEqualTo(work.resolve("app").toString());

        CliProcess.Result rollback = cli.runIn(work.resolve("elsewhere"), "rollback", "--env", "ops");

        assertThat(rollback.exit()).as(rollback.output()).isZero();
        assertThat(rollback.output()).contains("[deploy] installing shop-1.0.war").contains("result: REVERTED");
        assertThat(work.resolve("app/current.war")).content().isEqualTo("shop 1.0");
        assertThat(work.resolve("elsewhere/current.war")).doesNotExist();
        Ledger ledger = Ledger.open(work.resolve("home/ledger"));
        assertThat(ledger.point(EnvironmentName.of("ops"), 3).status()).isEqualTo(PointStatus.GOOD);
        assertThat(ledger.point(EnvironmentName.of("ops"), 2).status()).isEqualTo(PointStatus.REVERTED);
    }

    @Test
    void shouldKeepAndExportTheMaskedEvidenceOfATrip() throws Exception {
        try (ShopFixture shop = new ShopFixture(work)) {
            CliProcess cli = new CliProcess(work.resolve("home"));
            Path log = work.resolve("shop.log");
            ProcessBuilder writer = new ProcessBuilder("sh", "-c", "i=0; while :; do i=$((i+1)); "
                    + "echo \"line $i GET /api/stats auth=$SHOP_TOKEN\"; sleep 0.1; done >> \"$0\"", log.toString());
            writer.environment().put("SHOP_TOKEN", SECRET);
            started.add(writer.start());
            Path good = shop.artifact("1.0", 0);
            shop.startDirectly(good);
            String extra = """
                    deploySecretEnvironment: {DEPLOY_TOKEN: SHOP_TOKEN}
                    evidence: {path: %s}
                    """.formatted(log);
            List<String> adopt = new ArrayList<>(List.of("adopt", "--policy", shop.policy(extra).toString(),
                    "--artifact", good.toString(), "--"));
            adopt.addAll(shop.deployCommand());
            CliProcess.Result adopted = cli.run(env -> env.put("SHOP_TOKEN", SECRET), adopt.toArray(String[]::new));
            assertThat(adopted.exit()).as(adopted.output()).isZero();
            List<String> deploy = new ArrayList<>(List.of("deploy", "--policy", shop.policy(extra).toString(),
                    "--artifact", shop.artifact("2.0", 0.3).toString(), "--"));
            deploy.addAll(shop.deployCommand());

            CliProcess.Result tripped = cli.run(env -> env.put("SHOP_TOKEN", SECRET), deploy.toArray(String[]::new));

            assertThat(tripped.exit()).as(tripped.output()).isEqualTo(1);
            assertThat(tripped.output()).contains("[deploy] shop 2.0 runs as pid").contains("result: REVERTED")
                    .contains("evidence").doesNotContain(SECRET);
            Path out = work.resolve("exported");
            CliProcess.Result exported = cli.runIn(work.resolve("elsewhere"), "points", "--env", "e2e", "--point", "2",
                    "--evidence", out.toString());
            assertThat(exported.exit()).as(exported.output()).isZero();
            assertThat(names(out)).containsExactlyInAnyOrder("README.txt", "verdict.txt", "samples.json",
                    "deploy-output.log", "probe-01-error-rate.txt", "log-tail.txt");
            assertThat(out.resolve("deploy-output.log")).content().contains("[deploy] shop 2.0 runs as pid");
            assertThat(out.resolve("probe-01-error-rate.txt")).content().contains("status 200").contains("error_rate");
            assertThat(out.resolve("samples.json")).content().contains("error-rate").contains("measurements");
            assertThat(out.resolve("verdict.txt")).content().contains("BAD").contains("error-rate");
            String tail = Files.readString(out.resolve("log-tail.txt"));
            assertThat(tail).contains("GET /api/stats auth=****");
            assertThat(tail.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 1024);
            assertThat(out.resolve("README.txt")).content().contains("log-tail.txt: the last 64 KiB of the file " + log);
            assertThat(Files.readString(log)).as("the real log holds the secret").contains(SECRET);
            for (String name : names(out)) {
                assertThat(Files.readString(out.resolve(name))).as(name).doesNotContain(SECRET);
            }
            CliProcess.Result noTrip = cli.run("points", "--env", "e2e", "--point", "1", "--evidence",
                    work.resolve("none").toString());
            assertThat(noTrip.exit()).as(noTrip.output()).isEqualTo(ExitCodes.USAGE);
            assertThat(noTrip.output()).contains("has no evidence kept");
        }
    }

    private static List<String> names(final Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Reads a process's output on a thread of its own, so that the test can wait for one line with a timeout. */
    private static BlockingQueue<String> lines(final Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            }
            catch (java.io.IOException e) {
                // the process ended
            }
        }, "cli-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** Waits for lines holding each of the wanted texts, in any order. */
    private static void until(final BlockingQueue<String> lines, final List<String> seen, final String... wanted)
            throws InterruptedException {
        List<String> missing = new ArrayList<>(List.of(wanted));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                missing.removeIf(line::contains);
                if (missing.isEmpty()) {
                    return;
                }
            }
        }
        throw new AssertionError("no line with " + missing + " within a minute; seen: " + String.join("\n", seen));
    }
}
