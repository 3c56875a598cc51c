package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardCounts;
import io.jenkins.plugins.rollbackguard.engine.ledger.DoraFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rollback-guard metrics}: per environment the DORA counts and the median and p95 of the three incident
 * figures beside the 15-minute goal, drills apart; as JSON, or in the Prometheus text format for a node-exporter
 * textfile collector. The figures are the ledger's ({@code Ledger.incidents}), never computed here.
 */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Print per environment: deploys, change-failure rate, and the median and p95 of time to detect, "
            + "time to restore and incident duration beside the 15-minute goal, drills apart. --json prints one JSON "
            + "object; --prometheus the tool's figures in the Prometheus text format (node-exporter textfile collector).",
        footerHeading = "%nExample:%n", footer = "  rollback-guard metrics --env production --json")
final class MetricsCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "Only this environment.")
    private String environment;

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    @Option(names = "--prometheus", description = "Print the figures in the Prometheus text exposition format: trips, "
            + "reverts, frozen environments, incidents and the three incident figures, labelled env=...")
    private boolean prometheus;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "With --prometheus: write FILE (temp file, "
            + "fsync, atomic rename, so that a collector never reads half a file), e.g. a .prom file of node-exporter's "
            + "--collector.textfile.directory.")
    private Path output;

    @Spec
    private CommandSpec spec;

    /**
     * One environment as {@code --json} gives it.
     *
     * @param environment
     *         the environment
     * @param deploys
     *         guarded deploys (not adopted points, reverts or drills)
     * @param failures
     *         deploys that became BAD
     * @param changeFailureRate
     *         failures per deploy
     * @param frozen
     *         whether its circuit is OPEN
     * @param trips
     *         points the guard judged BAD
     * @param reverts
     *         reverts (automatic and by hand, drills apart)
     * @param failedReverts
     *         reverts that failed their watch
     * @param incidents
     *         the incident figures beside the goal, drills apart
     */
    record Row(String environment, long deploys, long failures, double changeFailureRate, boolean frozen, long trips,
               long reverts, long failedReverts, IncidentJson.Summary incidents) {
    }

    /**
     * The one JSON object.
     *
     * @param goalMs
     *         the goal for an incident's duration, in milliseconds
     * @param environments
     *         the environments
     */
    record Report(long goalMs, List<Row> environments) {
    }

    @Override
    public Integer call() throws IOException {
        if (output != null && !prometheus) {
            throw new IllegalArgumentException(("--output: '%s' is written only with --prometheus; add --prometheus, "
                    + "or drop --output to print the figures").formatted(output));
        }
        if (json && prometheus) {
            throw new IllegalArgumentException("--json and --prometheus: one format at a time; give one of them");
        }
        Ledger ledger = ledgerOptions.open();
        List<EnvironmentName> names = environment == null ? ledger.environments() : List.of(EnvironmentName.of(environment));
        List<Row> rows = names.stream().map(env -> row(ledger, env)).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (prometheus) {
            String text = PrometheusText.of(rows, names.stream().map(ledger::incidents).toList());
            if (output == null) {
                out.print(text);
                out.flush();
            }
            else {
                write(output, text);
                out.printf("wrote %s (%d environments)%n", output, rows.size());
                out.flush();
            }
            return ExitCodes.OK;
        }
        if (json) {
            Json.print(out, new Report(IncidentFigures.GOAL.toMillis(), rows));
            return ExitCodes.OK;
        }
        if (rows.isEmpty()) {
            out.println("No environment in the ledger at " + ledger.root());
        }
        for (Row row : rows) {
            IncidentJson.Summary s = row.incidents();
            IncidentFigures figures = ledger.incidents(EnvironmentName.of(row.environment()));
            out.printf(Locale.ROOT, "%s: deploys %d, change failure rate %.1f%%, incidents %d (%s, %d over the %d-minute goal)%n",
                    row.environment(), row.deploys(), row.changeFailureRate() * 100, s.count(),
                    s.open() == null ? "none open" : "#" + s.open() + " open", s.overGoal(), IncidentFigures.GOAL.toMinutes());
            Table table = new Table("  FIGURE", "MEDIAN", "P95", "GOAL");
            table.row("  time to detect", s.timeToDetect().median(), s.timeToDetect().p95(), null);
            table.row("  time to restore", s.timeToRestore().median(), s.timeToRestore().p95(), null);
            table.row("  incident duration", s.duration().median(), s.duration().p95(),
                    "<= " + IncidentFigures.GOAL.toMinutes() + " min");
            table.row("  drills: time to restore (%d, apart)".formatted(figures.drills().size()),
                    s.drillTimeToRestore().median(), s.drillTimeToRestore().p95(), null);
            table.print(out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static Row row(final Ledger ledger, final EnvironmentName env) {
        DoraFigures dora = ledger.dora(env);
        GuardCounts counts = GuardCounts.of(ledger, env);
        return new Row(env.value(), dora.deploys(), dora.failures(), dora.changeFailureRate(), ledger.circuit(env).isOpen(),
                counts.trips(), counts.reverts(), counts.failedReverts(), IncidentJson.Summary.of(ledger.incidents(env)));
    }

    /** Durable and whole: a collector reading the file meanwhile sees the old figures or the new ones. */
    private static void write(final Path file, final String text) throws IOException {
        Path target = file.toAbsolutePath();
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp"); // not *.prom: the collector skips it
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
