package io.jenkins.plugins.rollbackguard.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard points}: the rollback points of an environment, newest first. */
@Command(name = "points", mixinStandardHelpOptions = true,
        description = "List the rollback points of an environment, newest first.")
final class PointsCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment.")
    private String environment;

    @Option(names = "--page", defaultValue = "0", description = "Page number, from 0 (default: ${DEFAULT-VALUE}).")
    private int page;

    @Option(names = "--size", defaultValue = "20", description = "Points per page (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        EnvironmentName env = EnvironmentName.of(environment);
        Ledger ledger = ledgerOptions.open();
        List<RollbackPoint> points = ledger.history(env, page, size);
        if (json) {
            Json.print(spec.commandLine().getOut(), points);
            return ExitCodes.OK;
        }
        long lastGood = ledger.lastGood(env).map(RollbackPoint::id).orElse(0L);
        Table table = new Table("ID", "STATUS", "SOURCE", "COMMIT", "DATA", "BACKUPS", "CREATED", "VERDICT");
        for (RollbackPoint p : points) {
            String status = p.status() + (p.id() == lastGood ? " (last good)" : "")
                    + (p.attributes().containsKey(RollbackPoint.REVERT_FAILED) ? " (revert to it failed: mark it)" : "")
                    + (p.isRevert() ? " revert of #" + p.revertOf() : "");
            table.row(p.id(), status, p.source().label(), p.gitCommit(), p.dataVersion(), p.backups().size(),
                    p.createdAt(), p.verdict());
        }
        table.print(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
