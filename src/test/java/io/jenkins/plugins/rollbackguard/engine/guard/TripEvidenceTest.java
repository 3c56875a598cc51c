package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.ResolvedSecrets;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

import static org.assertj.core.api.Assertions.*;

class TripEvidenceTest {
    private static final EnvironmentName ENV = EnvironmentName.of("shop");
    private static final String SECRET = "tok-9f8e7d6c5b4a";

    @TempDir
    private Path dir;
    private final SystemScheduler scheduler = new SystemScheduler(1);
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        executor.shutdownNow();
        scheduler.close();
    }

    @Test
    void shouldKeepCappedMaskedEvidenceWithTheLogFileTail() throws Exception {
        Path log = dir.resolve("shop.log");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            text.append("GET /orders 500 request ").append(i).append('\n');
        }
        text.append("auth failed for token=").append(SECRET).append('\n');
        Files.writeString(log, text);
        GuardServices services = services();
        RollbackPoint bad = badPoint(services);
        Files.createDirectories(services.artifacts().pointFiles(bad.id()).orElseThrow());
        Files.writeString(services.artifacts().pointFiles(bad.id()).orElseThrow().resolve("deploy-output.log"),
                "[deploy] installing shop-2.4.war\n");
        Map<String, String> responses = new LinkedHashMap<>();
        responses.put("health", "GET http://shop/health\nstatus 500\n\n" + "x".repeat(4096) + " " + SECRET);

        Path bundle = new TripEvidence(services, policy("\"evidence\": {\"path\": \"" + log + "\"}"),
                new Timeline(scheduler::now, listener())).collect(bad, "BAD: health failed", responses).orElseThrow();

        assertThat(bundle).isEqualTo(services.artifacts().pointFiles(bad.id()).orElseThrow().resolve("evidence"));
        assertThat(names(bundle)).containsExactlyInAnyOrder("README.txt", "verdict.txt", "samples.json",
                "deploy-output.log", "probe-01-health.txt", "log-tail.txt");
        String tail = Files.readString(bundle.resolve("log-tail.txt"));
        assertThat(tail.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 1024);
        assertThat(tail).startsWith("GET /orders").endsWith("auth failed for token=****\n").doesNotContain("request 0\n");
        assertThat(Files.readString(bundle.resolve("samples.json"))).contains("\"health\"").contains("status 500");
        assertThat(Files.readString(bundle.resolve("deploy-output.log"))).contains("shop-2.4.war");
        assertThat(Files.readString(bundle.resolve("README.txt"))).contains("log-tail.txt: the last 64 KiB of the file "
                + log).contains("probe-01-health.txt");
        for (String name : names(bundle)) {
            assertThat(Files.readString(bundle.resolve(name))).as(name).doesNotContain(SECRET);
        }
        assertThat(lines).anyMatch(line -> line.contains("kept 6 file(s) of evidence with " + bad.label()));
    }

    @Test
    void shouldKeepTheEndOfALongLogCommandOutput() throws Exception {
        GuardServices services = services();
        RollbackPoint bad = badPoint(services);
        Policy policy = policy("\"evidence\": {\"command\": [\"sh\", \"-c\", \"seq 1 100000; echo since $0; echo key="
                + SECRET + "\", \"{deployStarted}\"]}");

        Path bundle = new TripEvidence(services, policy, new Timeline(scheduler::now, listener()))
                .collect(bad, "BAD", Map.of()).orElseThrow();

        String tail = Files.readString(bundle.resolve("log-tail.txt"));
        assertThat(tail.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 1024);
        assertThat(tail).contains("100000\n").doesNotContain("\n1\n").doesNotContain(SECRET).contains("key=****");
        assertThat(tail).containsPattern("since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
    }

    private GuardListener listener() {
        return new GuardListener() {
            @Override
            public void info(final String line) {
                lines.add(line);
            }

            @Override
            public void error(final String line) {
                lines.add(line);
            }
        };
    }

    private GuardServices services() {
        ResolvedSecrets secrets = ResolvedSecrets.of(SecretSource.of(Map.of("SHOP_TOKEN", SECRET)));
        secrets.find("SHOP_TOKEN"); // the run resolved it: every output is masked with it
        Ledger ledger = Ledger.open(dir.resolve("ledger"), Ledger.Options.defaults().withFsync(false).withWarnings(w -> { }));
        return new GuardServices(ledger, new BackupStore(dir.resolve("backups")),
                new FileArtifactStore(dir.resolve("artifacts/shop")), secrets, secrets.runner(new LocalCommandRunner()),
                scheduler, executor, listener(), Notifier.none(), LeaseOwners.process()).masking();
    }

    private static RollbackPoint badPoint(final GuardServices services) {
        Ledger ledger = services.ledger();
        RollbackPoint point = ledger.record(RollbackPoint.builder(ENV, PointSource.cli("run-1")), "alice", "deploy");
        ledger.transition(ENV, point.id(), PointStatus.DEPLOYING, "guard", "");
        ledger.transition(ENV, point.id(), PointStatus.WATCHING, "guard", "");
        ledger.update(ENV, point.id(), "guard", "watch", b -> b.attribute(GuardState.WATCH,
                "{\"health\":{\"probe\":\"health\",\"measurements\":[{\"detail\":\"status 500\"}]}}"));
        return ledger.transition(ENV, point.id(), PointStatus.BAD, "guard", "health failed");
    }

    private static Policy policy(final String evidence) {
        return new PolicyReader().parse("test policy", "{\"environment\": \"shop\", " + evidence + "}");
    }

    private static List<String> names(final Path bundle) throws Exception {
        try (var files = Files.list(bundle)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
