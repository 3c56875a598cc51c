package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

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
        description = {"Revert an environment to its last good point or to point ID, with the same checks as an",
            "automatic revert (data-version guard, hooks of the point being left) and the same watch."})
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment.")
    private String environment;

    @Option(names = "--to", defaultValue = "last-good", paramLabel = "last-good|ID",
            description = "The point to return to (default: ${DEFAULT-VALUE}).")
    private String to;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        EnvironmentName env = EnvironmentName.of(environment);
        long targetId = parseTarget(to);
        PrintWriter out = spec.commandLine().getOut();
        try (CliHost host = new CliHost(LedgerOptions.home(), ledgerOptions.directory(), out)) {
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
    private static int rollBack(final GuardServices services, final Ledger ledger, final EnvironmentName env,
                                final Timeline timeline, final long targetId, final PrintWriter out) {
        RollbackPoint leaving = current(ledger, env);
        Policy policy = policy(leaving);
        RevertPlan plan = new RollbackPlanner(ledger, services.artifacts(), services.scheduler()::now)
                .planManual(policy, leaving, targetId);
        GuardSession session = new GuardSession(services, policy, timeline); // its webhooks hear about the revert
        GuardOutcome outcome = session.trips()
                .execute(plan, new CliReverter(services, timeline, "manual", System.getProperty("user.name")));
        session.awaitNotifications(Duration.ofSeconds(30));
        Summary.print(out, outcome);
        return outcome.result() == GuardOutcome.Result.REVERTED ? ExitCodes.OK : ExitCodes.ROLLBACK_FAILED;
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
