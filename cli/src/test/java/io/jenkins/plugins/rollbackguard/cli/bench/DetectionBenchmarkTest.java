package io.jenkins.plugins.rollbackguard.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import io.jenkins.plugins.rollbackguard.cli.RollbackGuardCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Tests that a short run of {@code rollback-guard bench detection} prints every table and column of the replay
 * benchmark, for every traffic level and judge, and that the same seed prints the same figures.
 */
class DetectionBenchmarkTest {
    private static String run(final String... args) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = RollbackGuardCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(new StringWriter()));
        assertThat(commandLine.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void shouldPrintEveryColumnForEveryLevelAndJudge() {
        String out = run("bench", "detection", "--deploys", "20", "--seed", "5");
        assertThat(out).contains("20 healthy (A/A) and 20 bad (A/B) deploys per traffic level, seed 5",
                "(a) sweep", "payment-success:", "error-rate:", "page-load:", "argo 10s, failureLimit 0",
                "argo 60s, failureLimit 16");
        assertThat(out).containsPattern("rps +judge +false trips +by probe +detected +by probe +delay req p50 +p95 "
                + "+delay s p50 +p95 +error-rate req p50 +p95");
        for (String rate : new String[] {"1 rps", "10 rps", "100 rps"}) {
            for (String judge : new String[] {DetectionBenchmark.ARGO_BEST, "(b) seed thresholds", Judges.STATISTICAL,
                    Judges.EVERY_5S, Judges.EVERY_1S, Judges.EVERY_15S, Judges.TRIPLE, Judges.DEFAULT_ALPHA, Judges.DEPLOY_1PCT,
                    Judges.SAMPLED}) {
                assertThat(out).containsPattern("(?m)^" + rate.replace(" ", " +") + " +" + java.util.regex.Pattern
                        .quote(judge) + " +\\d+\\.\\d% +[\\d./%]+ +\\d+\\.\\d% +[\\d./%]+( +(inf|[\\d,]+)){6}$");
            }
            assertThat(out).contains("(a) at " + rate + ": payment-success ");
        }
        assertThat(out).contains("no-data trace", "goals for " + Judges.STATISTICAL, "a no-data trace never passes");
        assertThat(out).contains("HOLDS  a no-data trace never passes");
    }

    @Test
    void shouldPrintTheSameFiguresForTheSameSeed() {
        String first = run("bench", "detection", "--deploys", "10", "--rates", "10", "--seed", "3");
        String again = run("bench", "detection", "--deploys", "10", "--rates", "10", "--seed", "3");
        String other = run("bench", "detection", "--deploys", "10", "--rates", "10", "--seed", "4");
        assertThat(withoutTiming(again)).isEqualTo(withoutTiming(first));
        assertThat(withoutTiming(other)).isNotEqualTo(withoutTiming(first));
    }

    private static String withoutTiming(final String out) {
        return out.replaceAll("replayed .*", "").replaceAll("seed \\d+", "");
    }
}
