package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.guard.Decisions;
import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.DoraFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard status}: each environment's circuit, lease, last good point, DORA figures and recent events. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each environment's circuit, lease, last good point, DORA figures and recent events.",
        footerHeading = "%nExample:%n", footer = "  rollback-guard status --env production")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "Only this environment.")
    private String environment;

    @Option(names = "--events", defaultValue = "5", description = "Recent events to show (default: ${DEFAULT-VALUE}).")
    private int events;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Ledger ledger = ledgerOptions.open();
        PrintWriter out = spec.commandLine().getOut();
        List<EnvironmentName> names = environment == null ? ledger.environments() : List.of(EnvironmentName.of(environment));
        if (names.isEmpty()) {
            out.println("No environment in the ledger at " + ledger.root());
        }
        for (EnvironmentName env : names) {
            print(ledger, env, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void print(final Ledger ledger, final EnvironmentName env, final PrintWriter out) {
        Circuit circuit = ledger.circuit(env);
        out.printf("%s: circuit %s%s%n", env, circuit.state(), circuit.isOpen() ? " (frozen) since " + circuit.since()
                + " by " + circuit.by() + ": " + circuit.reason() : " (not frozen)");
        out.printf("  lease:     %s%n", ledger.lease(env).map(Lease::describe).orElse("free"));
        out.printf("  last good: %s%n", ledger.lastGood(env).map(RollbackPoint::label).orElse("none"));
        ledger.history(env, 0, 1).stream().findFirst().ifPresent(latest ->
                out.printf("  latest:    %s %s%s%n", latest.label(), latest.status(),
                        latest.verdict() == null ? "" : " - " + latest.verdict()));
        new Decisions(ledger, java.time.Instant::now).interrupted(env).ifPresent(waiting -> out.printf(
                "  waiting:   %s is %s with its guard unfinished: rollback-guard resume --env %s --reason ..., or "
                        + "mark --env %s --point %d --good|--bad --reason ...%n", waiting.label(), waiting.status(), env,
                env, waiting.id()));
        List<LedgerEvent> decisions = ledger.events(env, 500).stream()
                .filter(event -> event.type() == LedgerEvent.Type.DECISION).toList();
        for (LedgerEvent decision : decisions.subList(Math.max(0, decisions.size() - 3), decisions.size())) {
            out.printf("  decision:  %s #%d by %s: %s%n", decision.at(), decision.pointId(), decision.actor(),
                    decision.reason());
        }
        DoraFigures dora = ledger.dora(env);
        out.printf(Locale.ROOT, "  deploys %d, change failure rate %.1f%%, time to restore median %s, mean %s%n",
                dora.deploys(), dora.changeFailureRate() * 100,
                dora.medianTimeToRestore().map(StatusCommand::human).orElse("-"),
                dora.meanTimeToRestore().map(StatusCommand::human).orElse("-"));
        for (LedgerEvent event : ledger.events(env, events)) {
            out.println("  " + event.describe());
        }
    }

    static String human(final Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 120 ? duration.toMillis() / 1000.0 + "s" : seconds / 60 + "m" + seconds % 60 + "s";
    }
}
