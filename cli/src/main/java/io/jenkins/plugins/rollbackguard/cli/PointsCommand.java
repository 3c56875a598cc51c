package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.guard.FileArtifactStore;
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
        footerHeading = "%nExample:%n", footer = "  rollback-guard points --env production --size 10",
        description = {"List the rollback points of an environment, newest first.",
            "With --point N --evidence DIR: export the evidence kept with point N (its trip's bundle, or its deploy output)."})
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

    @Option(names = "--point", paramLabel = "N", description = "The point whose evidence --evidence exports.")
    private Long point;

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "Export the evidence of --point into DIR (created): the files, with a README.txt saying what each is.")
    private Path evidence;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        EnvironmentName env = EnvironmentName.of(environment);
        Ledger ledger = ledgerOptions.open();
        if (evidence != null || point != null) {
            if (evidence == null || point == null) {
                throw new IllegalArgumentException("--point and --evidence go together: write --point N --evidence DIR");
            }
            return export(ledger.point(env, point));
        }
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

    /** Copies the point's evidence (or, for a point that did not trip, its deploy output) into the directory. */
    private int export(final RollbackPoint at) {
        Path files = new FileArtifactStore(ledgerOptions.home().resolve("artifacts").resolve(at.environment().value()))
                .pointFiles(at.id()).orElseThrow();
        Path bundle = files.resolve(FileArtifactStore.EVIDENCE);
        Path output = files.resolve(CommandDeployer.OUTPUT);
        try {
            Files.createDirectories(evidence);
            int copied = 0;
            if (Files.isDirectory(bundle)) {
                try (var all = Files.list(bundle)) {
                    for (Path file : all.filter(Files::isRegularFile).sorted().toList()) {
                        Files.copy(file, evidence.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        copied++;
                    }
                }
            }
            else if (Files.isRegularFile(output)) {
                Files.copy(output, evidence.resolve(CommandDeployer.OUTPUT), StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(evidence.resolve("README.txt"), ("%s is %s and did not trip: no bundle was kept, only "
                        + "its deploy output.%n%s: the last 64 KiB of the deploy command's output ([deploy] standard "
                        + "output, [deploy:err] standard error)%n").formatted(at.label(), at.status(), CommandDeployer.OUTPUT));
                copied = 2;
            }
            else {
                throw new IllegalArgumentException(("--point: %s has no evidence kept: a trip keeps a bundle, a deploy "
                        + "its output, and the output of a point no longer kept is pruned with its artifacts")
                        .formatted(at.label()));
            }
            spec.commandLine().getOut().printf("exported %d file(s) of %s to %s (see README.txt)%n", copied, at.label(),
                    evidence.toAbsolutePath());
            return ExitCodes.OK;
        }
        catch (IOException e) {
            throw new UncheckedIOException("--evidence: cannot write %s: %s".formatted(evidence, e.getMessage()), e);
        }
    }
}
