package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Tests the ledger commands {@code points}, {@code status} and {@code reset} of the command line. */
class LedgerCommandsTest {
    private static final EnvironmentName PROD = EnvironmentName.of("prod");

    @TempDir
    private Path root;

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

    private Ledger seed() {
        Ledger ledger = Ledger.open(root.resolve("ledger"));
        RollbackPoint good = ledger.record(RollbackPoint.builder(PROD, PointSource.cli("run-1")).gitCommit("abc123"), "alice", "v1");
        ledger.transition(PROD, good.id(), PointStatus.WATCHING, "guard", "watch");
        ledger.transition(PROD, good.id(), PointStatus.GOOD, "guard", "healthy", "all probes passed");
        RollbackPoint bad = ledger.record(RollbackPoint.builder(PROD, PointSource.cli("run-2")), "alice", "v2");
        ledger.transition(PROD, bad.id(), PointStatus.WATCHING, "guard", "watch");
        ledger.transition(PROD, bad.id(), PointStatus.BAD, "guard", "tripped", "5xx rate 9% > 5%");
        ledger.openCircuit(PROD, "5xx rate 9% > 5%", "guard", bad.id());
        return ledger;
    }

    @Test
    void shouldListPointsNewestFirstAndMarkLastGood() {
        seed();

        Run run = run("points", "--home", root.toString(), "--env", "prod");

        assertThat(run.exit()).isZero();
        assertThat(run.out().lines()).hasSize(3);
        assertThat(run.out().lines().skip(1).findFirst()).get().asString().startsWith("2").contains("BAD").contains("5xx rate 9%");
        assertThat(run.out()).contains("GOOD (last good)").contains("abc123");
    }

    @Test
    void shouldShowStatusAndResetTheCircuitWithAReason() {
        seed();

        Run status = run("status", "--home", root.toString(), "--long");
        Run reset = run("reset", "--home", root.toString(), "--env", "prod", "--reason", "config fixed", "--by", "bob");
        Run after = run("status", "--home", root.toString(), "--env", "prod", "--long");

        assertThat(status.out()).contains("prod: circuit OPEN").contains("5xx rate 9% > 5%").contains("last good: prod#1")
                .contains("change failure rate 50.0%");
        assertThat(reset.exit()).isZero();
        assertThat(reset.out()).contains("CLOSED").contains("bob");
        assertThat(after.out()).contains("prod: circuit CLOSED").contains("CIRCUIT_RESET by bob: config fixed");
    }

    @Test
    void shouldSayThatAClosedCircuitIsNotResetAndRecordNothing() {
        Ledger ledger = seed();
        ledger.resetCircuit(PROD, "fixed", "bob");
        int events = ledger.auditTrail(PROD).size();

        Run again = run("reset", "--home", root.toString(), "--env", "prod", "--reason", "just in case");

        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("prod: the circuit is already CLOSED (not frozen); nothing to reset, nothing recorded");
        Run json = run("reset", "--home", root.toString(), "--env", "prod", "--reason", "just in case", "--json");
        assertThat(json.out()).contains("\"recorded\" : false").contains("\"state\" : \"CLOSED\"");
        assertThat(Ledger.open(root.resolve("ledger")).auditTrail(PROD)).hasSize(events);
    }

    @Test
    void shouldMarkPointsWithAReasonAndShowTheDecisionInStatusAndPoints() {
        Ledger ledger = seed();
        RollbackPoint unsure = ledger.record(RollbackPoint.builder(PROD, PointSource.cli("run-3")), "alice", "v3");
        ledger.transition(PROD, unsure.id(), PointStatus.WATCHING, "guard", "watch");
        ledger.transition(PROD, unsure.id(), PointStatus.INCONCLUSIVE, "guard", "no data", "no samples");

        Run noVerdict = run("mark", "--home", root.toString(), "--env", "prod", "--point", "3", "--reason", "x");
        Run both = run("mark", "--home", root.toString(), "--env", "prod", "--point", "3", "--good", "--bad", "--reason", "x");
        Run noReason = run("mark", "--home", root.toString(), "--env", "prod", "--point", "3", "--good");
        Run twice = run("mark", "--home", root.toString(), "--env", "prod", "--point", "1", "--good", "--reason", "x");
        Run good = run("mark", "--home", root.toString(), "--env", "prod", "--point", "3", "--good",
                "--reason", "orders checked by hand", "--by", "carol");
        Run status = run("status", "--home", root.toString(), "--env", "prod", "--long");
        Run points = run("points", "--home", root.toString(), "--env", "prod");

        assertThat(noVerdict.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noReason.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noReason.err()).contains("--reason");
        assertThat(twice.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(twice.err()).contains("prod#1 (cli run-1) is already GOOD: there is nothing to mark")
                .doesNotContain("Exception");
        assertThat(good.exit()).as(good.err()).isZero();
        assertThat(good.out()).contains("prod#3 (cli run-3) is GOOD now (marked good by carol: orders checked by hand)")
                .contains("last good: prod#3").contains("circuit OPEN since").contains("stays frozen until reset");
        assertThat(status.out()).contains("prod: circuit OPEN (frozen)")
                .containsPattern("decision: +\\S+ #3 by carol: marked good by carol: orders checked by hand")
                .contains("last good: prod#3");
        assertThat(points.out()).contains("GOOD (last good)").contains("marked good by carol");
        assertThat(Ledger.open(root.resolve("ledger")).point(PROD, 3).status()).isEqualTo(PointStatus.GOOD);

        RollbackPoint other = ledger.record(RollbackPoint.builder(PROD, PointSource.cli("run-4")), "alice", "v4");
        ledger.transition(PROD, other.id(), PointStatus.WATCHING, "guard", "watch");
        ledger.transition(PROD, other.id(), PointStatus.INCONCLUSIVE, "guard", "no data", "no samples");
        Run json = run("mark", "--home", root.toString(), "--env", "prod", "--point", "4", "--bad", "--reason", "500s",
                "--by", "carol", "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"status\" : \"BAD\"").contains("\"frozen\" : true")
                .contains("\"by\" : \"carol\"").contains("\"label\" : \"prod#3 (cli run-3)\"");
    }

    @Test
    void shouldFailClearlyOnBadInput() {
        seed();

        Run unknown = run("points", "--home", root.toString(), "--env", "staging");
        Run invalid = run("points", "--home", root.toString(), "--env", "../etc");
        Run noReason = run("reset", "--home", root.toString(), "--env", "prod");

        assertThat(unknown.exit()).isEqualTo(ExitCodes.DATA);
        assertThat(unknown.err()).contains("Unknown environment 'staging'").contains("prod");
        assertThat(invalid.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).contains("'../etc' is not a valid name");
        assertThat(noReason.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noReason.err()).contains("--reason");
    }

    @Test
    void shouldPrintPointsAsJson() {
        seed();

        Run run = run("points", "--home", root.toString(), "--env", "prod", "--json");

        assertThat(run.out()).contains("\"status\" : \"BAD\"").contains("\"gitCommit\" : \"abc123\"");
    }
}
