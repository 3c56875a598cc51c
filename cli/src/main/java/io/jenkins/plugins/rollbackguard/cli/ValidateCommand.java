package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.guard.DeployRequest;
import io.jenkins.plugins.rollbackguard.engine.guard.ExplainedPolicy;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyCheckException;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rollback-guard validate}: reads a policy and runs the checks a deploy's preflight runs before it records
 * anything (secrets, probes, programs, backup sources), without a ledger: nothing under the home directory is
 * created or changed, and only its {@code defaults.yaml} is read. {@code --explain} prints where each effective value
 * a host may default came from: the policy's {@code cooldown} and {@code keepGood}, and each probe's analysis.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        header = "Check a policy as a deploy's preflight would, without side effects.",
        description = {"Every secret, probe, program, backup source and hook is resolved; nothing is recorded or run.",
            "Exit 0: it can run; 3: it cannot (the field and value are named); 4: a probe cannot be reached (--reach)."},
        footerHeading = "%nExample:%n", footer = "  rollback-guard validate --policy policy.yaml --reach --explain")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The policy file (YAML or JSON).")
    private Path policyFile;

    @Option(names = "--reach", description = "Also reach each HTTP and Prometheus probe once (one request each).")
    private boolean reach;

    @Option(names = "--explain", description = "Print the effective cooldown, keepGood and each probe's analysis values"
            + " and where each came from: policy, defaults.yaml (its path) or engine default.")
    private boolean explain;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        ExplainedPolicy read = ledgerOptions.policyReader().explain(policyFile);
        Policy policy = read.policy().withReach(reach);
        PrintWriter out = spec.commandLine().getOut();
        if (explain) {
            explain(read, out);
        }
        try (CliHost host = new CliHost(ledgerOptions.home(), ledgerOptions.directory(), out)) {
            Timeline timeline = new Timeline(host.scheduler()::now, host.listener());
            GuardSession session = new GuardSession(host.checkServices(), policy, timeline);
            session.machine(session.localHost(null, Runnable::run)).checkPolicy(request());
            out.println("%s: the policy of '%s' can run: %d probe(s), %d backup(s), %d hook(s)%s".formatted(policyFile,
                    policy.environment(), policy.probes().size(), policy.backups().size(),
                    policy.hooks().beforeRevert().size() + policy.hooks().afterRevert().size(),
                    reach ? "" : " (probes not reached: add --reach)"));
            out.flush();
            return ExitCodes.OK;
        }
        catch (PolicyCheckException e) {
            throw e.in(policyFile.toString());
        }
    }

    /**
     * Prints the policy's effective {@code cooldown} and {@code keepGood}, then each probe's effective analysis values,
     * one table each: setting, value, origin.
     *
     * @param read
     *         the policy with the origins of its values
     * @param out
     *         where to print
     */
    static void explain(final ExplainedPolicy read, final PrintWriter out) {
        out.println("policy:");
        Table own = new Table("  setting", "value", "from");
        read.settings().forEach(s -> own.row("  " + s.field(), s.value(), s.origin()));
        own.print(out);
        if (read.probes().isEmpty()) {
            out.println("no probes: nothing to explain");
        }
        for (ExplainedPolicy.Probe probe : read.probes()) {
            out.println("probe " + probe.name() + ":");
            Table table = new Table("  setting", "value", "from");
            probe.settings().forEach(s -> table.row("  " + s.field(), s.value(), s.origin()));
            table.print(out);
        }
        out.flush();
    }

    /** A deploy as preflight sees it: nothing of it is recorded. */
    static DeployRequest request() {
        return new DeployRequest(PointSource.cli("validate"), List.of(), null, Map.of(), System.getProperty("user.name"),
                null, 0, "manual", null, Map.of());
    }
}
