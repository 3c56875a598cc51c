package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.guard.Decisions;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rollback-guard resume}: the guard machine of the environment's INTERRUPTED deploy, resumed from the ledger
 * (the same machine a deploy runs, continued from the state it kept).
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        header = "Resume the guard of the environment's INTERRUPTED deploy (its process was killed).",
        description = {"Its watch goes on for what is left of its window, or, when the window is past, takes one fresh "
            + "set of samples and judges those; on a trip it reverts as the deploy would have.",
            "It takes the environment's lease (a dead holder's is taken over). A deploy whose command was running when "
            + "it was killed is in doubt: the environment is frozen. The reason and your user name are recorded."},
        footerHeading = "%nExample:%n",
        footer = {"  rollback-guard resume --env production \\", "      --reason \"the CI agent restarted mid-watch\""})
final class ResumeCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV", description = "The environment.")
    private String environment;

    @Option(names = {"-r", "--reason"}, required = true, paramLabel = "TEXT", description = "Why you resume it.")
    private String reason;

    @Option(names = "--by", paramLabel = "NAME", description = "Who resumes it (default: the user name).")
    private String by;

    @Option(names = "--json", description = "End with one JSON object on standard output (outcome, point ids, time to "
            + "detect, time to restore, incident duration, the explanation), as deploy --json does; the live timeline "
            + "goes to standard error.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        EnvironmentName env = EnvironmentName.of(environment);
        String actor = by != null ? by : System.getProperty("user.name");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter live = json ? spec.commandLine().getErr() : out; // standard output holds the JSON object alone
        try (CliHost host = new CliHost(ledgerOptions.home(), ledgerOptions.directory(), live)) {
            GuardServices services = host.services(env);
            RollbackPoint point = new Decisions(services.ledger(), services.scheduler()::now).resume(env, actor, reason);
            Policy policy = CliReverter.policyOf(point, null);
            if (policy == null) {
                throw new IllegalArgumentException("%s has no policy recorded: it was not deployed by rollback-guard"
                        .formatted(point.label()));
            }
            Timeline timeline = new Timeline(services.scheduler()::now, host.listener());
            timeline.add("resume", "resuming %s for %s: %s".formatted(point.label(), actor, reason));
            GuardSession session = new GuardSession(services, policy, timeline);
            GuardOutcome outcome;
            try (StopOnSignal signals = new StopOnSignal()) {
                outcome = session.resume(env, point.id(), CommandDeployer.of(CommandDeployer.recorded(point), services,
                        policy, timeline), new CliReverter(services, timeline, "auto", "guard"), false, signals::attach);
            }
            finally {
                session.awaitNotifications(Duration.ofSeconds(30));
            }
            if (json) {
                Json.printMasked(out, FinalReport.of("resume", outcome, host.ledger(), outcome.exitCode()));
            }
            else {
                Summary.print(out, outcome, services.ledger().circuit(env));
            }
            return outcome.exitCode();
        }
    }
}
