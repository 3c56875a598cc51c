package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.EnumMap;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.guard.DeployRequest;
import io.jenkins.plugins.rollbackguard.engine.guard.Drill;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
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
 * it, and reports the time to restore. Drill points are kept in the ledger but not counted in DORA figures. The
 * refusals, the legs and the figure are the engine's {@link Drill} (shared with the Pipeline step
 * {@code rollbackGuardDrill}); this command runs each leg in place as a guarded deploy of the recorded command.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
        header = "Rehearse a rollback: deploy the previous good point and back again, both watched.",
        description = "The time to restore is reported. Refused for environments whose name looks like production "
            + "unless --allow-production.",
        footerHeading = "%nExample:%n", footer = "  rollback-guard drill --env staging")
final class DrillCommand implements Callable<Integer> {
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
        Drill.checkName(env, allowProduction, "--allow-production"); // before the ledger is opened
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter out = json ? spec.commandLine().getErr() : stdout; // standard output holds the JSON object alone
        try (CliHost host = new CliHost(ledgerOptions.home(), ledgerOptions.directory(), out)) {
            GuardServices services = host.services(env);
            Ledger ledger = services.ledger();
            Drill drill = Drill.plan(ledger, env, allowProduction, "--allow-production",
                    point -> point.attributes().containsKey(CommandDeployer.COMMAND),
                    "cli:" + System.getProperty("user.name") + "@" + services.scheduler().now());
            out.printf("drill on %s: %s -> %s -> %s%n", env, drill.from().label(), drill.previous().label(),
                    drill.from().label());
            Map<Drill.Leg, GuardOutcome> outcomes = new EnumMap<>(Drill.Leg.class);
            Drill.Next next = drill.next(ledger);
            while (next instanceof Drill.Deploy deploy) { // the engine decides; each leg runs here, in place
                GuardOutcome outcome = redeploy(host, services, deploy);
                outcomes.put(deploy.leg(), outcome);
                next = drill.ended(ledger, deploy.leg(), "the guard said " + outcome.result());
            }
            if (next instanceof Drill.Wait wait) { // a leg's deploy here returns with its verdict: never in flight
                next = drill.ended(ledger, wait.leg(), "still in flight after its deploy");
            }
            Drill.Done done = (Drill.Done) next;
            return report(stdout, out, ledger, drill, done, outcomes);
        }
    }

    private int report(final PrintWriter stdout, final PrintWriter out, final Ledger ledger, final Drill drill,
                       final Drill.Done done, final Map<Drill.Leg, GuardOutcome> outcomes) {
        EnvironmentName env = drill.environment();
        GuardOutcome back = outcomes.get(Drill.Leg.BACK);
        GuardOutcome forward = outcomes.get(Drill.Leg.FORWARD);
        if (done.verdict() == Drill.Verdict.BACK_FAILED) {
            if (back != null) {
                Summary.print(out, back);
            }
            out.println("drill: FAILED - rolling back to the previous good point did not pass its watch");
            if (json) {
                Json.printMasked(stdout, new DrillReport(env.value(), "FAILED", ExitCodes.ROLLBACK_FAILED,
                        StatusCommand.PointRef.of(drill.from()), ref(ledger, done.back()), null, null));
            }
            return ExitCodes.ROLLBACK_FAILED;
        }
        // the time to restore as the ledger defines it for every report (metrics counts drills apart with it): from
        // the drill point's recording to the first passing sample of each probe; the whole watch is said beside it
        out.printf(Locale.ROOT, "%ndrill: time to restore %s (%s redeployed and passing every probe; its whole "
                        + "watch ended after %s); roll forward %s; %s%n", done.timeToRestore(), drill.previous().label(),
                IncidentFigures.human(duration(back)), IncidentFigures.human(duration(forward)),
                done.verdict() == Drill.Verdict.OK ? "OK"
                        : "roll forward " + (forward == null ? "FAILED" : forward.result()));
        int exit = done.verdict() == Drill.Verdict.OK ? ExitCodes.OK : ExitCodes.FAILED;
        if (json) {
            Json.printMasked(stdout, new DrillReport(env.value(), exit == ExitCodes.OK ? "OK" : "FAILED", exit,
                    StatusCommand.PointRef.of(drill.from()), ref(ledger, done.back()), ref(ledger, done.forward()),
                    done.figure() == null ? null : done.figure().report(env)));
        }
        return exit;
    }

    private static StatusCommand.PointRef ref(final Ledger ledger, final RollbackPoint point) {
        return point == null ? null : StatusCommand.PointRef.of(ledger.point(point.environment(), point.id()));
    }

    /**
     * What {@code drill --json} prints: the point drilled from, the drill's two points as the ledger holds them, and
     * the drill's figures as the ledger records them (the ones {@code metrics} counts apart from incidents).
     */
    record DrillReport(String environment, String outcome, int exitCode, StatusCommand.PointRef from,
                       StatusCommand.PointRef back, StatusCommand.PointRef forward,
                       io.jenkins.plugins.rollbackguard.engine.ledger.Incident.Report drill) {
    }

    private static GuardOutcome redeploy(final CliHost host, final GuardServices services, final Drill.Deploy leg) {
        RollbackPoint target = leg.target();
        Policy policy = CliReverter.policyOf(target, null);
        if (policy == null) {
            throw new IllegalArgumentException("%s has no policy recorded".formatted(target.label()));
        }
        Timeline timeline = new Timeline(services.scheduler()::now, host.listener());
        timeline.add("drill", leg.why());
        Map<String, String> attributes = new java.util.HashMap<>(CommandDeployer.recorded(target));
        attributes.putAll(leg.attributes());
        DeployRequest request = new DeployRequest(PointSource.cli("drill-" + target.id()), target.artifacts(),
                target.gitCommit(), target.parameters(), System.getProperty("user.name"), null, 0, Drill.TRIGGER,
                target.dataVersion(), attributes);
        CommandDeployer deployer = CommandDeployer.of(CommandDeployer.recorded(target), services, policy, timeline);
        return new GuardSession(services, policy, timeline)
                .run(request, deployer, new CliReverter(services, timeline, "auto", "guard"), false);
    }

    private static Duration duration(final GuardOutcome outcome) {
        return outcome == null || outcome.timeline().isEmpty() ? Duration.ZERO
                : Duration.between(outcome.timeline().get(0).at(), outcome.timeline().get(outcome.timeline().size() - 1).at());
    }
}
