package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.rollbackguard.engine.guard.TripHandler;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Tests that {@code status} and {@code metrics} give the ledger's incident figures, in text, in JSON and in the
 * Prometheus text format (checked by the real {@code promtool}). The ledger's clock is set, so the figures are exact:
 * prod's incident was detected 3.1 s after its deploy and restored 6.7 s later (9.8 s); staging's is open.
 */
class FiguresCommandsTest {
    private static final EnvironmentName PROD = EnvironmentName.of("prod");
    private static final EnvironmentName STAGING = EnvironmentName.of("staging");
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    private Path root;

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);

    private record Run(int exit, String out, String err) {
    }

    private Run run(final String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = RollbackGuardCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private void at(final long millis) {
        now.set(T0.plusMillis(millis));
    }

    private RollbackPoint watched(final Ledger ledger, final EnvironmentName env, final RollbackPoint.Builder draft,
                                  final long watchAt) {
        RollbackPoint point = ledger.record(draft, "guard", "deploy");
        ledger.transition(env, point.id(), PointStatus.DEPLOYING, "guard", "deploying");
        at(watchAt);
        return ledger.transition(env, point.id(), PointStatus.WATCHING, "guard", "watching");
    }

    private RollbackPoint tripped(final Ledger ledger, final EnvironmentName env, final long id, final long at) {
        at(at);
        ledger.update(env, id, "guard", "tripped", b -> b.attribute(TripHandler.TRIPPED, now.get().toString()));
        RollbackPoint bad = ledger.transition(env, id, PointStatus.BAD, "guard", "5xx 12% > 5%", "5xx 12% > 5%");
        ledger.openCircuit(env, "5xx 12% > 5%", "guard", id);
        return bad;
    }

    @BeforeEach
    void seed() {
        Ledger ledger = Ledger.open(root.resolve("ledger"), Ledger.Options.defaults().withClock(now::get));
        RollbackPoint v1 = watched(ledger, PROD, RollbackPoint.builder(PROD, PointSource.cli("run-1")), 1_000);
        ledger.transition(PROD, v1.id(), PointStatus.GOOD, "guard", "healthy", "all probes passed");
        RollbackPoint v2 = watched(ledger, PROD, RollbackPoint.builder(PROD, PointSource.cli("run-2")), 61_000);
        tripped(ledger, PROD, v2.id(), 64_100);
        RollbackPoint revert = watched(ledger, PROD, RollbackPoint.builder(PROD, PointSource.cli("run-2"))
                .revertOf(v2.id()), 65_000);
        at(70_800);
        ledger.transition(PROD, revert.id(), PointStatus.GOOD, "guard", "healthy", "all probes passed");
        ledger.transition(PROD, v2.id(), PointStatus.REVERTED, "guard", "reverted by prod#3");

        RollbackPoint s1 = watched(ledger, STAGING, RollbackPoint.builder(STAGING, PointSource.cli("s-1")), 100_000);
        ledger.transition(STAGING, s1.id(), PointStatus.GOOD, "guard", "healthy", "all probes passed");
        RollbackPoint s2 = watched(ledger, STAGING, RollbackPoint.builder(STAGING, PointSource.cli("s-2")), 200_000);
        tripped(ledger, STAGING, s2.id(), 200_840);
    }

    @Test
    void shouldPrintOneShortLinePerEnvironmentWithItsIncident() {
        Run status = run("status", "--home", root.toString());

        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out().lines()).containsExactly(
                "prod: circuit OPEN (frozen), last good #3, last incident #2: 9.8 s (detect 3.1 s, restore 6.7 s)",
                "staging: circuit OPEN (frozen), last good #1, incident #2 open since 2026-12-02T10:03:20.840Z "
                        + "(detected in 840 ms)");
        assertThat(status.out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThan(120));
    }

    @Test
    void shouldPrintTheRestWithLong() {
        Run status = run("status", "--home", root.toString(), "--env", "prod", "--long");

        assertThat(status.out()).contains("prod: circuit OPEN (frozen) since").contains("5xx 12% > 5%")
                .contains("lease:     free").contains("last good: prod#3 (cli run-2)")
                .contains("incident:  #2 time to detect 3.1 s, time to restore 6.7 s, incident duration 9.8 s")
                .contains("incidents: 1 (none open, 0 over the 15-minute goal); incident duration median 9.8 s, p95 9.8 s")
                .contains("deploys 2, change failure rate 50.0%, time to restore median 6.7 s, p95 6.7 s")
                .contains("STATUS_CHANGED #2 BAD -> REVERTED by guard");
    }

    @Test
    void shouldPrintStatusAsOneJsonObject() throws Exception {
        Run status = run("status", "--home", root.toString(), "--json");

        JsonNode json = JSON.readTree(status.out());
        assertThat(json.isObject()).isTrue();
        JsonNode prod = json.path("environments").get(0);
        assertThat(prod.path("environment").asText()).isEqualTo("prod");
        assertThat(prod.path("frozen").asBoolean()).isTrue();
        assertThat(prod.path("lastGood").path("id").asLong()).isEqualTo(3);
        assertThat(prod.path("incident").path("timeToDetectMs").asLong()).isEqualTo(3_100);
        assertThat(prod.path("incident").path("timeToRestoreMs").asLong()).isEqualTo(6_700);
        assertThat(prod.path("incident").path("durationMs").asLong()).isEqualTo(9_800);
        assertThat(prod.path("incident").path("duration").asText()).isEqualTo("9.8 s");
        JsonNode staging = json.path("environments").get(1);
        assertThat(staging.path("incident").path("open").asBoolean()).isTrue();
        assertThat(staging.path("incident").path("timeToDetectMs").asLong()).isEqualTo(840);
        assertThat(staging.path("incident").path("durationMs").isNull()).as("never a guess while open").isTrue();
    }

    @Test
    void shouldPrintMedianAndP95BesideTheGoal() throws Exception {
        Run text = run("metrics", "--home", root.toString(), "--env", "prod");
        Run json = run("metrics", "--home", root.toString(), "--json");

        assertThat(text.out()).contains("prod: deploys 2, change failure rate 50.0%, incidents 1 (none open, "
                + "0 over the 15-minute goal)").containsPattern("time to detect +3\\.1 s +3\\.1 s")
                .containsPattern("incident duration +9\\.8 s +9\\.8 s +<= 15 min\n")
                .containsPattern("drills: time to restore \\(0, apart\\) +- +-");
        JsonNode report = JSON.readTree(json.out());
        assertThat(report.path("goalMs").asLong()).isEqualTo(900_000);
        JsonNode prod = report.path("environments").get(0).path("incidents");
        assertThat(prod.path("timeToDetect").path("medianMs").asLong()).isEqualTo(3_100);
        assertThat(prod.path("timeToRestore").path("p95Ms").asLong()).isEqualTo(6_700);
        assertThat(prod.path("duration").path("medianMs").asLong()).isEqualTo(9_800);
        assertThat(report.path("environments").get(0).path("trips").asLong()).isEqualTo(1);
        assertThat(report.path("environments").get(0).path("reverts").asLong()).isEqualTo(1);
        JsonNode staging = report.path("environments").get(1).path("incidents");
        assertThat(staging.path("open").asLong()).isEqualTo(2);
        assertThat(staging.path("duration").path("count").asInt()).as("the open incident is left out").isZero();
    }

    @Test
    void shouldWritePrometheusTextThatPromtoolAccepts() throws Exception {
        Path file = root.resolve("textfile/rollback_guard.prom");
        Files.createDirectories(file.getParent());

        Run printed = run("metrics", "--home", root.toString(), "--prometheus");
        Run written = run("metrics", "--home", root.toString(), "--prometheus", "--output", file.toString());

        assertThat(printed.exit()).as(printed.err()).isZero();
        assertThat(printed.out()).contains("# TYPE rollback_guard_incident_duration_seconds summary")
                .contains("rollback_guard_incident_duration_seconds{env=\"prod\",quantile=\"0.5\"} 9.800")
                .contains("rollback_guard_time_to_detect_seconds{env=\"staging\",quantile=\"0.95\"} 0.840")
                .contains("rollback_guard_time_to_restore_seconds_count{env=\"staging\"} 0")
                .contains("rollback_guard_frozen_environments 2").contains("rollback_guard_trips_total{env=\"prod\"} 1")
                .contains("rollback_guard_reverts_total{env=\"prod\"} 1")
                .contains("rollback_guard_incidents_open{env=\"staging\"} 1");
        assertThat(written.out()).contains("wrote " + file);
        assertThat(Files.readString(file)).isEqualTo(printed.out());
        assertThat(Files.list(file.getParent())).as("no temp file left").containsExactly(file);
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(printed.out().getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(promtool.exitValue()).as(said).isZero();
        assertThat(said).as("no lint problem either").isBlank();
    }

    @Test
    void shouldRefuseOutputWithoutPrometheus() {
        Run run = run("metrics", "--home", root.toString(), "--output", root.resolve("x.prom").toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--output: '" + root.resolve("x.prom") + "' is written only with --prometheus")
                .doesNotContain("Exception");
    }
}
