package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One incident, one set of figures: the final JSON of {@code deploy --json} (and of {@code rollback --json}), the
 * revert line, {@code status}, {@code status --json}, {@code metrics --json} and the demo's summary give the same time
 * to detect, time to restore and incident duration, the ones the ledger computed, through real CLI processes and a
 * real shop.
 */
class IncidentFiguresE2ETest {
    private static final EnvironmentName ENV = EnvironmentName.of("e2e");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] MS = {"timeToDetectMs", "timeToRestoreMs", "durationMs"};
    private static final String[] PRINTED = {"timeToDetect", "timeToRestore", "duration"};

    @TempDir
    private Path work;

    private ShopFixture shop;
    private CliProcess cli;

    @BeforeEach
    void startShop() throws Exception {
        shop = new ShopFixture(work);
        cli = new CliProcess(work.resolve("home"));
    }

    @AfterEach
    void stopShop() throws Exception {
        shop.close();
    }

    private void adoptRunning(final Path artifact) throws Exception {
        shop.startDirectly(artifact);
        List<String> args = new ArrayList<>(List.of("adopt", "--policy", shop.policy("").toString(), "--artifact",
                artifact.toString(), "--"));
        args.addAll(shop.deployCommand());
        CliProcess.Result adopted = cli.run(args.toArray(String[]::new));
        assertThat(adopted.exit()).as(adopted.output()).isZero();
    }

    private String[] deployArgs(final Path policy, final Path artifact, final String... options) {
        List<String> args = new ArrayList<>(List.of("deploy", "--policy", policy.toString(), "--artifact", artifact.toString()));
        args.addAll(List.of(options));
        args.add("--");
        args.addAll(shop.deployCommand());
        return args.toArray(String[]::new);
    }

    /** @return standard output parsed as exactly one JSON object, nothing before or after it */
    private static JsonNode oneObject(final String out) throws Exception {
        try (JsonParser parser = JSON.createParser(out)) {
            JsonNode node = JSON.readTree(parser);
            assertThat(node).as(out).isNotNull();
            assertThat(node.isObject()).as(out).isTrue();
            assertThat(parser.nextToken()).as("nothing after the object: " + out).isNull();
            return node;
        }
    }

    private static void assertSameFigures(final JsonNode actual, final JsonNode expected, final String what) {
        for (String field : MS) {
            assertThat(actual.path(field).isNumber()).as(what + "." + field + " in " + actual).isTrue();
            assertThat(actual.path(field).asLong()).as(what + "." + field).isEqualTo(expected.path(field).asLong());
        }
        for (String field : PRINTED) {
            assertThat(actual.path(field).asText()).as(what + "." + field).isEqualTo(expected.path(field).asText());
        }
    }

    @Test
    void shouldGiveTheSameThreeFiguresForATrippedDeployEverywhere() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));

        CliProcess.Split deploy = cli.runSplit(deployArgs(shop.policy(""), shop.artifact("2.0", 0.3), "--json"));
        CliProcess.Split status = cli.runSplit("status", "--env", "e2e", "--json");
        CliProcess.Split line = cli.runSplit("status", "--env", "e2e");
        CliProcess.Split metrics = cli.runSplit("metrics", "--env", "e2e", "--json");

        assertThat(deploy.exit()).as(deploy.err()).isEqualTo(1);
        JsonNode result = oneObject(deploy.out());
        assertThat(result.path("outcome").asText()).isEqualTo("REVERTED");
        assertThat(result.path("point").path("id").asLong()).isEqualTo(2);
        assertThat(result.path("point").path("status").asText()).isEqualTo("REVERTED");
        assertThat(result.path("revert").path("id").asLong()).isEqualTo(3);
        assertThat(result.path("lastGood").path("id").asLong()).isEqualTo(3);
        assertThat(result.path("frozen").asBoolean()).isTrue();
        assertThat(result.path("explanation").path("point").asLong()).isEqualTo(2);
        assertThat(result.path("explanation").path("verdict").asText()).contains("error-rate");
        JsonNode incident = result.path("incident");
        assertThat(incident.path("point").asLong()).isEqualTo(2);
        assertThat(incident.path("restoredBy").asLong()).isEqualTo(3);
        assertThat(incident.path("open").asBoolean()).isFalse();

        Incident ledger = Ledger.open(work.resolve("home/ledger")).incident(ENV, 2).orElseThrow();
        JsonNode computed = JSON.valueToTree(Map.of(
                "timeToDetectMs", ledger.timeToDetect().orElseThrow().toMillis(),
                "timeToRestoreMs", ledger.timeToRestore().orElseThrow().toMillis(),
                "durationMs", ledger.duration().orElseThrow().toMillis(),
                "timeToDetect", IncidentFigures.human(ledger.timeToDetect().orElseThrow()),
                "timeToRestore", IncidentFigures.human(ledger.timeToRestore().orElseThrow()),
                "duration", IncidentFigures.human(ledger.duration().orElseThrow())));
        assertSameFigures(incident, computed, "deploy --json");
        assertThat(incident.path("durationMs").asLong()).isEqualTo(
                incident.path("timeToDetectMs").asLong() + incident.path("timeToRestoreMs").asLong());

        assertThat(status.exit()).as(status.err()).isZero();
        assertSameFigures(oneObject(status.out()).path("environments").get(0).path("incident"), incident, "status --json");

        assertThat(metrics.exit()).as(metrics.err()).isZero();
        JsonNode figures = oneObject(metrics.out()).path("environments").get(0).path("incidents");
        assertSameFigures(figures.path("last"), incident, "metrics --json last");
        assertThat(figures.path("count").asInt()).isEqualTo(1);
        assertThat(figures.path("timeToDetect").path("medianMs").asLong()).as("one incident: its median")
                .isEqualTo(incident.path("timeToDetectMs").asLong());
        assertThat(figures.path("timeToRestore").path("p95Ms").asLong()).isEqualTo(incident.path("timeToRestoreMs").asLong());
        assertThat(figures.path("duration").path("medianMs").asLong()).isEqualTo(incident.path("durationMs").asLong());
        assertThat(figures.path("duration").path("median").asText()).isEqualTo(incident.path("duration").asText());

        String described = "time to detect %s, time to restore %s, incident duration %s".formatted(
                incident.path("timeToDetect").asText(), incident.path("timeToRestore").asText(),
                incident.path("duration").asText());
        assertThat(deploy.err()).as("the live timeline goes to standard error with --json")
                .contains("BAD: error-rate").contains("is REVERTED; " + described);
        assertThat(line.out().strip()).isEqualTo("e2e: circuit OPEN (frozen), last good #3, last incident #2: %s (detect %s, restore %s)"
                .formatted(incident.path("duration").asText(), incident.path("timeToDetect").asText(),
                        incident.path("timeToRestore").asText()));
    }

    @Test
    void shouldGiveTheIncidentThatARollbackEndsInItsJson() throws Exception {
        adoptRunning(shop.artifact("1.0", 0));
        CliProcess.Split frozen = cli.runSplit(deployArgs(shop.policy("onTrip: freeze\n"), shop.artifact("2.0", 0.3), "--json"));
        JsonNode open = oneObject(frozen.out());

        CliProcess.Split rollback = cli.runSplit("rollback", "--env", "e2e", "--json", "--reason", "v2 breaks payments");
        CliProcess.Split status = cli.runSplit("status", "--env", "e2e", "--json");

        assertThat(open.path("outcome").asText()).as(frozen.err()).isEqualTo("FROZEN");
        assertThat(open.path("incident").path("open").asBoolean()).isTrue();
        assertThat(open.path("incident").path("durationMs").isNull()).as("no duration while open").isTrue();
        assertThat(rollback.exit()).as(rollback.err()).isZero();
        JsonNode result = oneObject(rollback.out());
        assertThat(result.path("command").asText()).isEqualTo("rollback");
        assertThat(result.path("outcome").asText()).isEqualTo("REVERTED");
        JsonNode incident = result.path("incident");
        assertThat(incident.path("point").asLong()).isEqualTo(2);
        assertThat(incident.path("restoredBy").asLong()).isEqualTo(result.path("revert").path("id").asLong());
        assertThat(incident.path("timeToDetectMs").asLong()).as("the same detection as when it froze")
                .isEqualTo(open.path("incident").path("timeToDetectMs").asLong());
        assertSameFigures(oneObject(status.out()).path("environments").get(0).path("incident"), incident, "status --json");
    }

    @Test
    void shouldGiveTheDemosFiguresInStatusAndMetrics() throws Exception {
        Path dir = work.resolve("demo");

        CliProcess.Result demo = cli.run("demo", "--dir", dir.toString());
        CliProcess.Split status = cli.runSplit("status", "--home", dir.resolve("home").toString(), "--json");
        CliProcess.Split metrics = cli.runSplit("metrics", "--home", dir.resolve("home").toString(), "--json");

        assertThat(demo.exit()).as(demo.output()).isZero();
        Matcher printed = Pattern.compile("incident demo-shop#(\\d+) \\([^)]*\\): time to detect (.+?), time to restore "
                + "(.+?), incident duration (.+?) \\(goal").matcher(demo.output());
        assertThat(printed.find()).as(demo.output()).isTrue();
        JsonNode incident = oneObject(status.out()).path("environments").get(0).path("incident");
        assertThat(incident.path("point").asLong()).isEqualTo(Long.parseLong(printed.group(1)));
        assertThat(printed.group(2)).isEqualTo(incident.path("timeToDetect").asText());
        assertThat(printed.group(3)).isEqualTo(incident.path("timeToRestore").asText());
        assertThat(printed.group(4)).isEqualTo(incident.path("duration").asText());
        assertThat(demo.output()).as("the revert line gives them too").contains("is REVERTED; " + printed.group(0)
                .substring(printed.group(0).indexOf("time to detect"), printed.group(0).length() - " (goal".length()));
        assertSameFigures(oneObject(metrics.out()).path("environments").get(0).path("incidents").path("last"), incident,
                "metrics --json last");
    }
}
