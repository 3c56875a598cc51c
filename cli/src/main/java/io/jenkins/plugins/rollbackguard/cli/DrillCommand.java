package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import io.jenkins.plugins.rollbackguard.engine.guard.DeployRequest;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardRefusedException;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rollback-guard drill}: a rehearsal of a rollback in a non-production environment. It deploys the
 * previous good point (as a rollback would), watches it, deploys the current good point again, watches
 * it, and reports the time to restore. Drill points are kept in the ledger but not counted in DORA figures.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
        header = "Rehearse a rollback: deploy the previous good point and back again, both watched.",
        description = "The time to restore is reported. Refused for environments whose name looks like production "
            + "unless --allow-production.",
        footerHeading = "%nExample:%n", footer = "  rollback-guard drill --env staging")
final class DrillCommand implements Callable<Integer> {
    private static final Pattern PRODUCTION = Pattern.compile("(?i).*(prod|live).*");

    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment (not production).")
    private String environment;

    @Option(names = "--allow-production", description = "Drill even though the name looks like production.")
    private boolean allowProduction;

    @Option(names = "--json", description = "End with one JSON object on standard output (outcome, the points, the "
            + "drill's time to restore as the ledger records it); the live timeline goes to standard error.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        EnvironmentName env = EnvironmentName.of(environment);
        if (PRODUCTION.matcher(env.value()).matches() && !allowProduction) {
            throw new GuardRefusedException(("environment '%s' looks like production: a drill deploys an older version there; "
                    + "use a staging environment or --allow-production").formatted(env));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter out = json ? spec.commandLine().getErr() : stdout; // standard output holds the JSON object alone
        try (CliHost host = new CliHost(ledgerOptions.home(), ledgerOptions.directory(), out)) {
            GuardServices services = host.services(env);
            Ledger ledger = services.ledger();
            if (ledger.circuit(env).isOpen()) {
                throw new GuardRefusedException("environment '%s' is frozen (circuit OPEN): reset it before a drill".formatted(env));
            }
            RollbackPoint current = ledger.lastGood(env).orElseThrow(() ->
                    new GuardRefusedException("environment '%s' has no good point to drill with".formatted(env)));
            RollbackPoint previous = previousGood(ledger, env, current).orElseThrow(() -> new GuardRefusedException(
                    "environment '%s' needs two good points with artifacts for a drill; it has only %s".formatted(env, current.label())));
            out.printf("drill on %s: %s -> %s -> %s%n", env, current.label(), previous.label(), current.label());
            GuardOutcome back = redeploy(host, services, previous, "back to " + previous.label(), Map.of());
            if (back.result() != GuardOutcome.Result.GOOD) {
                Summary.print(out, back);
                out.println("drill: FAILED - rolling back to the previous good point did not pass its watch");
                if (json) {
                    Json.printMasked(stdout, new DrillReport(env.value(), "FAILED", ExitCodes.ROLLBACK_FAILED,
                            StatusCommand.PointRef.of(current), ref(ledger, back), null, null));
                }
                return ExitCodes.ROLLBACK_FAILED;
            }
            GuardOutcome forward = redeploy(host, services, current, "forward to " + current.label(),
                    Map.of(IncidentFigures.DRILL_LEG, IncidentFigures.FORWARD)); // restores nothing: not a drill figure
            Duration restore = duration(back);
            Duration roll = duration(forward);
            // the time to restore as the ledger defines it for every report (metrics counts drills apart with it): from
            // the drill point's recording to the first passing sample of each probe; the whole watch is said beside it
            java.util.Optional<io.jenkins.plugins.rollbackguard.engine.ledger.Incident> drill = back.point() == null
                    ? java.util.Optional.empty() : ledger.incident(env, back.point().id());
            String recorded = drill.flatMap(i -> i.timeToRestore()).map(IncidentFigures::human).orElse("not recorded");
            out.printf(Locale.ROOT, "%ndrill: time to restore %s (%s redeployed and passing every probe; its whole "
                            + "watch ended after %s); roll forward %s; %s%n", recorded, previous.label(),
                    IncidentFigures.human(restore), IncidentFigures.human(roll),
                    forward.result() == GuardOutcome.Result.GOOD ? "OK" : "roll forward " + forward.result());
            int exit = forward.result() == GuardOutcome.Result.GOOD ? ExitCodes.OK : ExitCodes.FAILED;
            if (json) {
                Json.printMasked(stdout, new DrillReport(env.value(), exit == ExitCodes.OK ? "OK" : "FAILED", exit,
                        StatusCommand.PointRef.of(current), ref(ledger, back), ref(ledger, forward),
                        drill.map(i -> i.report(env)).orElse(null)));
            }
            return exit;
        }
    }

    private static StatusCommand.PointRef ref(final Ledger ledger, final GuardOutcome outcome) {
        return outcome.point() == null ? null
                : StatusCommand.PointRef.of(ledger.point(outcome.point().environment(), outcome.point().id()));
    }

    /**
     * What {@code drill --json} prints: the point drilled from, the drill's two points as the ledger holds them, and
     * the drill's figures as the ledger records them (the ones {@code metrics} counts apart from incidents).
     */
    record DrillReport(String environment, String outcome, int exitCode, StatusCommand.PointRef from,
                       StatusCommand.PointRef back, StatusCommand.PointRef forward,
                       io.jenkins.plugins.rollbackguard.engine.ledger.Incident.Report drill) {
    }

    private static Optional<RollbackPoint> previousGood(final Ledger ledger, final EnvironmentName env, final RollbackPoint current) {
        for (RollbackPoint point : ledger.history(env, 0, Math.min(1000, ledger.size(env)))) {
            if (point.id() < current.id() && point.status().isRestorable()
                    && point.attributes().containsKey(CommandDeployer.COMMAND)) {
                return Optional.of(point);
            }
        }
        return Optional.empty();
    }

    private static GuardOutcome redeploy(final CliHost host, final GuardServices services, final RollbackPoint target,
                                         final String why, final Map<String, String> leg) {
        Policy policy = CliReverter.policyOf(target, null);
        if (policy == null) {
            throw new IllegalArgumentException("%s has no policy recorded".formatted(target.label()));
        }
        Timeline timeline = new Timeline(services.scheduler()::now, host.listener());
        timeline.add("drill", why);
        Map<String, String> attributes = new java.util.HashMap<>(CommandDeployer.recorded(target));
        attributes.putAll(leg);
        DeployRequest request = new DeployRequest(PointSource.cli("drill-" + target.id()), target.artifacts(),
                target.gitCommit(), target.parameters(), System.getProperty("user.name"), null, 0, "drill",
                target.dataVersion(), attributes);
        CommandDeployer deployer = CommandDeployer.of(CommandDeployer.recorded(target), services, policy, timeline);
        return new GuardSession(services, policy, timeline)
                .run(request, deployer, new CliReverter(services, timeline, "auto", "guard"), false);
    }

    private static Duration duration(final GuardOutcome outcome) {
        return outcome.timeline().isEmpty() ? Duration.ZERO
                : Duration.between(outcome.timeline().get(0).at(), outcome.timeline().get(outcome.timeline().size() - 1).at());
    }
}
