package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.ledger.DoraFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard metrics}: the DORA figures per environment. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Print the DORA figures: deploys, change-failure rate, time to restore.",
        footerHeading = "%nExample:%n", footer = "  rollback-guard metrics --env production --json")
final class MetricsCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "Only this environment.")
    private String environment;

    @Option(names = "--json", description = "Print JSON.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /** One environment's figures as JSON: times in seconds, null when nothing was restored. */
    record Row(String environment, long deploys, long failures, double changeFailureRate, long restores,
               Double medianTimeToRestoreSeconds, Double meanTimeToRestoreSeconds) {
    }

    @Override
    public Integer call() {
        Ledger ledger = ledgerOptions.open();
        List<EnvironmentName> names = environment == null ? ledger.environments() : List.of(EnvironmentName.of(environment));
        List<DoraFigures> figures = names.stream().map(ledger::dora).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, figures.stream().map(f -> new Row(f.environment().value(), f.deploys(), f.failures(),
                    f.changeFailureRate(), f.restores(), f.medianTimeToRestore().map(d -> d.toMillis() / 1000.0).orElse(null),
                    f.meanTimeToRestore().map(d -> d.toMillis() / 1000.0).orElse(null))).toList());
            return ExitCodes.OK;
        }
        Table table = new Table("ENVIRONMENT", "DEPLOYS", "FAILURES", "CHANGE FAILURE RATE", "RESTORES", "MEDIAN TTR", "MEAN TTR");
        for (DoraFigures f : figures) {
            table.row(f.environment(), f.deploys(), f.failures(), String.format(Locale.ROOT, "%.1f%%", f.changeFailureRate() * 100),
                    f.restores(), f.medianTimeToRestore().map(StatusCommand::human).orElse("-"),
                    f.meanTimeToRestore().map(StatusCommand::human).orElse("-"));
        }
        table.print(out);
        return ExitCodes.OK;
    }
}
