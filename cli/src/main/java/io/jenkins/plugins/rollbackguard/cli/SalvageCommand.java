package io.jenkins.plugins.rollbackguard.cli;

import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.SalvageReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard salvage}: rebuilds a corrupt environment from every readable record. */
@Command(name = "salvage", mixinStandardHelpOptions = true,
        description = "Rebuild a corrupt environment from every readable record; damaged files are kept aside.",
        footerHeading = "%nExample:%n", footer = "  rollback-guard salvage --env production")
final class SalvageCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment.")
    private String environment;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        SalvageReport report = ledgerOptions.open().salvage(EnvironmentName.of(environment));
        spec.commandLine().getOut().printf("%s: kept %d points from %d records; dropped %s; moved aside %s%n",
                report.environment(), report.points(), report.records(), report.dropped(), report.movedAside());
        return ExitCodes.OK;
    }
}
