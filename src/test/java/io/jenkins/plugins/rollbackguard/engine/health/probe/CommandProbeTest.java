package io.jenkins.plugins.rollbackguard.engine.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.VirtualScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests the command probe with real processes through {@link LocalCommandRunner}. */
class CommandProbeTest {
    private static final String SECRET = "hunter2-secret";

    @Test
    void shouldSucceedOnExitZeroAndFailOtherwise() {
        assertThat(run(null, "true").outcome()).isEqualTo(Outcome.SUCCESS);
        Measurement failed = run(null, "exit 3");
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(failed.detail()).isEqualTo("exit code 3");
    }

    @Test
    void shouldTakeTheValueFromTheOutput() {
        assertThat(run("p99=(\\d+)", "echo start; echo p99=250ms").value()).isEqualTo(250);
        Measurement missing = run("p99=(\\d+)", "echo nothing here");
        assertThat(missing.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(missing.detail()).isEqualTo("output does not match valuePattern");
    }

    @Test
    void shouldKillTheProcessTreeOnTimeout(@TempDir final Path dir) throws IOException {
        Path pidFile = dir.resolve("child.pid");
        long start = System.nanoTime();
        Measurement m = probe(spec(null, "1s", "sleep 30 & echo $! > " + pidFile + "; sleep 30")).sample();

        assertThat(m.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(m.detail()).startsWith("timed out after");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        long child = Long.parseLong(Files.readString(pidFile).strip());
        // SIGKILL is delivered asynchronously, and the orphan must then be reaped by init
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive)).as("child %d", child).isEmpty());
    }

    @Test
    void shouldPassSecretsButMaskThemEverywhere() {
        Measurement m = run(null, "echo \"key is $API_KEY\" >&2; exit 1");

        assertThat(m.detail()).isEqualTo("exit code 1: key is ****");
    }

    @Test
    void shouldReportAMissingProgramAsError() {
        CommandProbeSpec spec = new CommandProbeSpec("c", List.of("/nonexistent/program"), null, null, "5s", null,
                null, null, null);
        assertThat(probe(spec).sample().outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void shouldNameAMissingSecretButNotItsValue() {
        CommandProbeSpec spec = new CommandProbeSpec("c", List.of("true"), null, Map.of("API_KEY", "NOPE"), null,
                null, null, null, null);
        assertThatThrownBy(() -> factory().create(spec))
                .hasMessageStartingWith("secretEnvironment.API_KEY: no secret named 'NOPE' is available; define it");
    }

    @Test
    void shouldCountARateFromTheJsonItPrints() {
        CommandProbeSpec payments = new CommandProbeSpec("payments", List.of("sh", "-c",
                "echo '{\"payments\": {\"ok\": 29, \"all\": 30}}'"), Map.of(), Map.of(), "10s", null, null, null,
                io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings.builder().judge("sequential")
                        .effect("drop > 20%").events("/payments/ok").trials("/payments/all").build());
        Measurement m = probe(payments).sample();
        assertThat(m.outcome()).isEqualTo(io.jenkins.plugins.rollbackguard.engine.health.Outcome.SUCCESS);
        assertThat(m.events()).isEqualTo(29);
        assertThat(m.trials()).isEqualTo(30);
        CommandProbeSpec text = new CommandProbeSpec("payments", List.of("sh", "-c", "echo all good"), Map.of(),
                Map.of(), "10s", null, null, null, payments.analysis());
        assertThat(probe(text).sample().outcome()).isEqualTo(io.jenkins.plugins.rollbackguard.engine.health.Outcome.ERROR);
    }

    private static Measurement run(final String pattern, final String script) {
        return probe(spec(pattern, "10s", script)).sample();
    }

    private static CommandProbeSpec spec(final String pattern, final String timeout, final String script) {
        return new CommandProbeSpec("c", List.of("sh", "-c", script), Map.of("MODE", "probe"),
                Map.of("API_KEY", "KEY"), timeout, pattern, null, null, null);
    }

    private static io.jenkins.plugins.rollbackguard.engine.health.Probe probe(final CommandProbeSpec spec) {
        return factory().create(spec);
    }

    private static ProbeFactory factory() {
        return new ProbeFactory(SecretSource.of(Map.of("KEY", SECRET)), new LocalCommandRunner(), Runnable::run,
                new VirtualScheduler());
    }
}
