package io.jenkins.plugins.rollbackguard.cli;

import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard reset}: closes an environment's circuit, with a reason that goes in the audit trail. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Close an environment's circuit (unfreeze it). The reason and your user name are recorded.",
        footerHeading = "%nExample:%n",
        footer = "  rollback-guard reset --env production --reason \"v3 fixes the payment bug\"")
final class ResetCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment.")
    private String environment;

    @Option(names = {"-r", "--reason"}, required = true, paramLabel = "TEXT", description = "Why it is safe to deploy again.")
    private String reason;

    @Option(names = "--by", paramLabel = "NAME", description = "Who resets it (default: the user name).")
    private String by;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        EnvironmentName env = EnvironmentName.of(environment);
        String actor = by != null ? by : System.getProperty("user.name");
        Ledger ledger = ledgerOptions.open();
        if (!ledger.circuit(env).isOpen()) {
            if (json) {
                Json.print(spec.commandLine().getOut(), new Reset(env.value(), false, ledger.circuit(env), actor, reason));
                return ExitCodes.OK;
            }
            spec.commandLine().getOut().printf("%s: the circuit is already CLOSED (not frozen); nothing to reset, nothing "
                    + "recorded%n", env);
            return ExitCodes.OK;
        }
        Circuit circuit = ledger.resetCircuit(env, reason, actor);
        if (json) {
            Json.print(spec.commandLine().getOut(), new Reset(env.value(), true, circuit, actor, reason));
            return ExitCodes.OK;
        }
        spec.commandLine().getOut().printf("%s: circuit %s (reset by %s: %s)%n", env, circuit.state(), actor, reason);
        return ExitCodes.OK;
    }

    /** What {@code reset --json} prints: whether a reset was recorded (not for a circuit already CLOSED) and the circuit. */
    record Reset(String environment, boolean recorded, Circuit circuit, String by, String reason) {
    }
}
