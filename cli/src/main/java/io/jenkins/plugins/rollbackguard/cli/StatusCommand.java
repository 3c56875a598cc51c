package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.guard.Decisions;
import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.DoraFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rollback-guard status}: one line per environment (circuit, last good point, the open or last incident), the
 * rest with {@code --long}, one JSON object with {@code --json}. The incident figures are the ledger's.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show one line per environment: its circuit, last good point and its open or last incident "
            + "(time to detect, time to restore, incident duration). --long adds the lease, the latest point, decisions, "
            + "DORA figures and recent events; --json prints it all as one JSON object.",
        footerHeading = "%nExample:%n", footer = "  rollback-guard status --env production")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "Only this environment.")
    private String environment;

    @Option(names = "--events", defaultValue = "5", description = "Recent events to show with --long (default: ${DEFAULT-VALUE}).")
    private int events;

    @Option(names = {"-l", "--long"}, description = "Show everything: lease, latest point, decisions, DORA figures, events.")
    private boolean longFormat;

    @Option(names = "--json", description = "Print one JSON object: the environments with all of the --long figures.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /**
     * One environment as {@code --json} gives it.
     *
     * @param environment
     *         the environment
     * @param circuit
     *         its circuit
     * @param frozen
     *         whether the circuit is OPEN
     * @param lease
     *         its lease, or null when free
     * @param lastGood
     *         its last good point, or null
     * @param latest
     *         its newest point, or null
     * @param waiting
     *         an interrupted point waiting for a person's decision, or null
     * @param incident
     *         the open incident, else the last one, or null
     * @param incidents
     *         the figures over all its incidents
     * @param deploys
     *         DORA: deploys
     * @param changeFailureRate
     *         DORA: failures per deploy
     * @param recentEvents
     *         the newest events, described
     */
    record Env(String environment, Circuit circuit, boolean frozen, Lease lease, PointRef lastGood, PointRef latest,
               PointRef waiting, Incident.Report incident, IncidentJson.Summary incidents, long deploys,
               double changeFailureRate, List<String> recentEvents) {
    }

    /**
     * A point as {@code --json} names it.
     *
     * @param id
     *         its id
     * @param label
     *         its label
     * @param status
     *         its status
     * @param verdict
     *         its verdict, or null
     */
    record PointRef(long id, String label, String status, String verdict) {
        static PointRef of(final RollbackPoint point) {
            return point == null ? null : new PointRef(point.id(), point.label(), point.status().name(), point.verdict());
        }
    }

    /**
     * The one JSON object.
     *
     * @param ledger
     *         the ledger's directory
     * @param environments
     *         the environments
     */
    record Report(String ledger, List<Env> environments) {
    }

    @Override
    public Integer call() {
        Ledger ledger = ledgerOptions.open();
        PrintWriter out = spec.commandLine().getOut();
        List<EnvironmentName> names = environment == null ? ledger.environments() : List.of(EnvironmentName.of(environment));
        if (json) {
            Json.print(out, new Report(ledger.root().toString(), names.stream().map(env -> env(ledger, env)).toList()));
            return ExitCodes.OK;
        }
        if (names.isEmpty()) {
            out.println("No environment in the ledger at " + ledger.root());
        }
        for (EnvironmentName env : names) {
            if (longFormat) {
                print(ledger, env, out);
            }
            else {
                out.println(line(ledger, env));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Env env(final Ledger ledger, final EnvironmentName env) {
        Circuit circuit = ledger.circuit(env);
        IncidentFigures figures = ledger.incidents(env);
        DoraFigures dora = ledger.dora(env);
        return new Env(env.value(), circuit, circuit.isOpen(), ledger.lease(env).filter(Lease::isHeld).orElse(null),
                PointRef.of(ledger.lastGood(env).orElse(null)),
                PointRef.of(ledger.history(env, 0, 1).stream().findFirst().orElse(null)),
                PointRef.of(new Decisions(ledger, java.time.Instant::now).interrupted(env).orElse(null)),
                current(figures).map(i -> i.report(env)).orElse(null), IncidentJson.Summary.of(figures),
                dora.deploys(), dora.changeFailureRate(),
                ledger.events(env, events).stream().map(LedgerEvent::describe).toList());
    }

    /** @return the open incident, else the last one */
    private static java.util.Optional<Incident> current(final IncidentFigures figures) {
        return figures.open().or(() -> IncidentJson.last(figures));
    }

    /**
     * One short line: environment, circuit, what runs when a deploy is under way or waits for a decision, last good
     * point, and the open or last incident. Points are named env#id, without their (long) source.
     */
    static String line(final Ledger ledger, final EnvironmentName env) {
        StringBuilder line = new StringBuilder(env.value()).append(": circuit ")
                .append(ledger.circuit(env).isOpen() ? "OPEN (frozen)" : "CLOSED");
        java.util.Optional<RollbackPoint> waiting = new Decisions(ledger, java.time.Instant::now).interrupted(env);
        if (waiting.isPresent()) {
            line.append(", #").append(waiting.get().id()).append(' ').append(waiting.get().status())
                    .append(" waits for a decision");
        }
        else {
            ledger.history(env, 0, 1).stream().findFirst().filter(p -> p.status().isInFlight())
                    .ifPresent(p -> line.append(", #").append(p.id()).append(' ').append(p.status()));
        }
        line.append(", last good ").append(ledger.lastGood(env).map(p -> "#" + p.id()).orElse("none"));
        IncidentFigures figures = ledger.incidents(env);
        java.util.Optional<Incident> open = figures.open();
        if (open.isPresent()) {
            line.append(", incident #").append(open.get().pointId()).append(" open since ")
                    .append(open.get().detectedAt()).append(" (detected in ")
                    .append(IncidentFigures.human(open.get().timeToDetect(), "-")).append(')');
        }
        else {
            IncidentJson.last(figures).ifPresentOrElse(last -> line.append(", last incident #").append(last.pointId())
                    .append(": ").append(IncidentFigures.human(last.duration(), "-")).append(" (detect ")
                    .append(IncidentFigures.human(last.timeToDetect(), "-")).append(", restore ")
                    .append(IncidentFigures.human(last.timeToRestore(), "-")).append(')'),
                    () -> line.append(", no incident"));
        }
        return line.toString();
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
        IncidentFigures figures = ledger.incidents(env);
        current(figures).ifPresent(incident -> out.printf("  incident:  #%d %s%n", incident.pointId(), incident.describe()));
        out.printf("  incidents: %d (%s open, %d over the %d-minute goal); incident duration %s%n",
                figures.incidents().size(), figures.open().isPresent() ? "1" : "none", figures.overGoal(),
                IncidentFigures.GOAL.toMinutes(), figures.duration().describe());
        DoraFigures dora = ledger.dora(env);
        out.printf(Locale.ROOT, "  deploys %d, change failure rate %.1f%%, time to restore %s%n",
                dora.deploys(), dora.changeFailureRate() * 100, figures.timeToRestore().describe());
        for (LedgerEvent event : ledger.events(env, events)) {
            out.println("  " + event.describe());
        }
    }
}
