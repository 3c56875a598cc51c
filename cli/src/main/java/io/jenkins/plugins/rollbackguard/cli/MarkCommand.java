package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.guard.Decisions;
import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard mark}: a person decides what the guard could not, with a reason that goes in the ledger. */
@Command(name = "mark", mixinStandardHelpOptions = true,
        header = "Mark a point the guard could not decide as good or bad.",
        description = {"The point is INCONCLUSIVE, INTERRUPTED, or a good point whose revert failed: marked good, it is "
            + "a rollback target again; marked bad, it is never returned to.",
            "Nothing is deployed or reverted and the circuit stays as it is. The reason and your user name are recorded."},
        footerHeading = "%nExample:%n",
        footer = {"  rollback-guard mark --env production --point 41 --good \\", "      --reason \"checked by hand: orders flow\""})
final class MarkCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment.")
    private String environment;

    @Option(names = "--point", required = true, paramLabel = "ID", description = "The point to mark.")
    private long point;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Verdict verdict;

    @Option(names = {"-r", "--reason"}, required = true, paramLabel = "TEXT", description = "Why you decide so.")
    private String reason;

    @Option(names = "--by", paramLabel = "NAME", description = "Who decides (default: the user name).")
    private String by;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /** Exactly one of --good and --bad. */
    static final class Verdict {
        @Option(names = "--good", required = true, description = "It works: a rollback target (the last good point if newest).")
        boolean good;

        @Option(names = "--bad", required = true, description = "It is broken: never returned to.")
        boolean bad;
    }

    @Override
    public Integer call() {
        EnvironmentName env = EnvironmentName.of(environment);
        String actor = by != null ? by : System.getProperty("user.name");
        Ledger ledger = ledgerOptions.open();
        RollbackPoint marked = new Decisions(ledger, Instant::now).mark(env, point, verdict.good, actor, reason);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            RollbackPoint lastGood = ledger.lastGood(env).orElse(null);
            Circuit circuit = ledger.circuit(env);
            Json.printMasked(out, new Marked(env.value(), StatusCommand.PointRef.of(marked), StatusCommand.PointRef.of(lastGood),
                    circuit, circuit.isOpen(), actor, reason));
            return ExitCodes.OK;
        }
        out.printf("%s is %s now (%s)%n", marked.label(), marked.status(), marked.verdict());
        out.printf("last good: %s%n", ledger.lastGood(env).map(RollbackPoint::label).orElse("none"));
        Circuit circuit = ledger.circuit(env);
        if (circuit.isOpen()) {
            out.printf("circuit OPEN since %s: '%s' stays frozen until reset (rollback-guard reset --env %s --reason ...)%n",
                    circuit.since(), env, env);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** What {@code mark --json} prints: the point as marked, the last good point after it, and the circuit. */
    record Marked(String environment, StatusCommand.PointRef point, StatusCommand.PointRef lastGood, Circuit circuit,
                  boolean frozen, String by, String reason) {
    }
}
