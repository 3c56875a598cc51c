package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.guard.Decisions;
import io.jenkins.plugins.rollbackguard.engine.guard.EnvironmentLease;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.RevertPlan;
import io.jenkins.plugins.rollbackguard.engine.guard.RollbackPlanner;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard rollback}: return an environment to its last good point, or to a chosen one. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        header = "Revert an environment to its last good point, or to point ID.",
        description = "The same checks as an automatic revert (data-version guard, hooks of the point being left) and "
            + "the same watch.",
        footerHeading = "%nExample:%n",
        footer = {"  rollback-guard rollback --env production --to last-good \\",
            "      --reason \"v2 loses orders\""})
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment.")
    private String environment;

    @Option(names = "--to", defaultValue = "last-good", paramLabel = "last-good|ID",
            description = "The point to return to (default: ${DEFAULT-VALUE}).")
    private String to;

    @Option(names = "--across-data-version", description = "Roll back across a data-version change on purpose (the "
        + "guard refuses it otherwise): the data-loss window is printed and the decision recorded; needs --reason.")
    private boolean acrossDataVersion;

    @Option(names = "--restore-data", description = "With --across-data-version: restore the target's verified backups "
        + "first (data written since they were taken is lost).")
    private boolean restoreData;

    @Option(names = {"-r", "--reason"}, paramLabel = "TEXT", description = "Why (recorded; required with --across-data-version).")
    private String reason;

    @Option(names = "--by", paramLabel = "NAME", description = "Who decides (default: the user name).")
    private String by;

    @Option(names = "--json", description = "End with one JSON object on standard output (outcome, point ids, time to "
            + "detect, time to restore, incident duration, the explanation); the live timeline goes to standard error.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        EnvironmentName env = EnvironmentName.of(environment);
        long targetId = parseTarget(to);
        if (restoreData && !acrossDataVersion) {
            throw new IllegalArgumentException("--restore-data: only with --across-data-version; a rollback within one "
                    + "data version restores no data");
        }
        if (acrossDataVersion && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("--reason: a reason is required with --across-data-version; say why "
                    + "crossing the data-version change is safe, e.g. --reason \"V2 only added a column\"");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter live = json ? spec.commandLine().getErr() : out; // standard output holds the JSON object alone
        try (CliHost host = new CliHost(ledgerOptions.home(), ledgerOptions.directory(), live)) {
            GuardServices services = host.services(env);
            Ledger ledger = services.ledger();
            Policy policy = policy(current(ledger, env));
            Timeline timeline = new Timeline(services.scheduler()::now, host.listener());
            Duration wait = policy.concurrent() == Policy.Concurrency.WAIT ? policy.lockTimeoutDuration() : Duration.ZERO;
            try (EnvironmentLease lease = EnvironmentLease.take(ledger, env, services.leases(), wait,
                    line -> timeline.add("lease", line))) {
                return rollBack(services, ledger, env, timeline, targetId, out);
            }
        }
    }

    private static Policy policy(final RollbackPoint leaving) {
        Policy policy = CliReverter.policyOf(leaving, null);
        if (policy == null) {
            throw new IllegalArgumentException("%s has no policy recorded: it was not deployed by rollback-guard".formatted(leaving.label()));
        }
        return policy;
    }

    /** Under the lease: what runs now is read again, since a deploy may have finished while this one waited. */
    private int rollBack(final GuardServices services, final Ledger ledger, final EnvironmentName env,
                         final Timeline timeline, final long targetId, final PrintWriter out) {
        Policy policy = policy(current(ledger, env));
        // the head now: the application may have migrated since its watch ended (it is kept on the point)
        RollbackPoint leaving = new GuardSession(services, policy, timeline).observeDataHead(current(ledger, env),
                "rollback");
        String actor = by != null ? by : System.getProperty("user.name");
        RollbackPlanner planner = new RollbackPlanner(ledger, services.artifacts(), services.scheduler()::now);
        if (acrossDataVersion) {
            long target = targetId != 0 ? targetId : planner.lastGoodBefore(leaving).map(RollbackPoint::id)
                    .orElseThrow(() -> new io.jenkins.plugins.rollbackguard.engine.guard.GuardRefusedException(
                            "environment '%s' has no good point before %s to roll back to".formatted(env, leaving.label())));
            String window = new Decisions(ledger, services.scheduler()::now).allowAcrossDataVersion(env, leaving.id(),
                    target, restoreData, actor, reason);
            timeline.add("decision", "rollback of %s to #%d across its data-version change allowed by %s: %s"
                    .formatted(leaving.label(), target, actor, reason));
            timeline.add("decision", window);
            return execute(services, ledger, env, timeline, planner.planManual(policy, ledger.point(env, leaving.id()),
                    target), policy, actor, out, json);
        }
        if (reason != null && !reason.isBlank()) {
            ledger.note(env, leaving.id(), actor, services.masker().mask("manual rollback asked by %s: %s".formatted(actor, reason)));
        }
        return execute(services, ledger, env, timeline, planner.planManual(policy, leaving, targetId), policy, actor, out,
                json);
    }

    private static int execute(final GuardServices services, final Ledger ledger, final EnvironmentName env,
                               final Timeline timeline, final RevertPlan plan, final Policy policy, final String actor,
                               final PrintWriter out, final boolean json) {
        GuardSession session = new GuardSession(services, policy, timeline); // its webhooks hear about the revert
        GuardOutcome outcome = session.trips()
                .execute(plan, new CliReverter(services, timeline, "manual", actor));
        session.awaitNotifications(Duration.ofSeconds(30));
        int exit = outcome.result() == GuardOutcome.Result.REVERTED ? ExitCodes.OK : ExitCodes.ROLLBACK_FAILED;
        if (json) {
            Json.printMasked(out, FinalReport.of("rollback", outcome, ledger, exit));
        }
        else {
            Summary.print(out, outcome, ledger.circuit(env));
        }
        return exit;
    }

    private static long parseTarget(final String text) {
        if ("last-good".equals(text)) {
            return 0;
        }
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--to: '%s' is neither last-good nor a point id".formatted(text));
    }

    /** What runs now: the newest point that was deployed and not already left. */
    static RollbackPoint current(final Ledger ledger, final EnvironmentName env) {
        for (RollbackPoint point : ledger.history(env, 0, Math.min(1000, Math.max(1, ledger.size(env))))) {
            switch (point.status()) {
                case GOOD, ADOPTED, BAD, INCONCLUSIVE, INTERRUPTED, WATCHING -> {
                    return point;
                }
                default -> { }
            }
        }
        throw new IllegalArgumentException("environment '%s' has no deployed point to roll back from".formatted(env));
    }
}
