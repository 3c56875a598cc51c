package io.jenkins.plugins.rollbackguard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.engine.guard.RollbackPlanner;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard adopt}: record what runs in production now as the first good point. */
@Command(name = "adopt", mixinStandardHelpOptions = true,
        header = "Record what already runs as an ADOPTED point, a rollback target.",
        description = "Its artifact and the command that would deploy it again are kept, so that the first guarded "
            + "deploy has something to return to.",
        footerHeading = "%nExample:%n",
        footer = {"  rollback-guard adopt --policy policy.yaml --artifact shop-1.0.jar \\",
            "      --commit c0ffee1 -- ./deploy.sh {artifact}"})
final class AdoptCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The policy file.")
    private Path policyFile;

    @Option(names = "--artifact", required = true, paramLabel = "PATH", description = "The artifact that runs now.")
    private Path artifact;

    @Option(names = "--commit", paramLabel = "SHA", description = "Its git commit.")
    private String commit;

    @Option(names = "--data-version", paramLabel = "VERSION", description = "Its data version (default: the policy's dataVersion, read now).")
    private String dataVersion;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command that deploys it (after --).")
    private List<String> command;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Policy policy = ledgerOptions.policyReader().read(policyFile);
        if (!Files.isRegularFile(artifact)) {
            throw new IllegalArgumentException("--artifact: '%s' is not a readable file".formatted(artifact));
        }
        try (CliHost host = new CliHost(ledgerOptions.home(), ledgerOptions.directory(), spec.commandLine().getOut())) {
            RollbackPoint point = adopt(host, policy, artifact, command, commit, dataVersion);
            ArtifactRef stored = point.artifacts().get(0);
            spec.commandLine().getOut().printf("adopted %s: %s sha256 %s%n", point.label(), stored.name(), stored.sha256());
            return ExitCodes.OK;
        }
    }

    /**
     * Records what runs now as an ADOPTED point (also used by {@code demo}).
     *
     * @return the point
     */
    static RollbackPoint adopt(final CliHost host, final Policy policy, final Path artifact, final List<String> command,
                               final String commit, final String dataVersion) throws java.io.IOException {
        // without --data-version the point records what a deploy would: a guard that compares data versions must
        // not find the adopted point without one
        GuardSession session = new GuardSession(host.services(policy.environment()), policy,
                new io.jenkins.plugins.rollbackguard.engine.guard.Timeline(host.scheduler()::now, host.listener()));
        // the data head as it is, when the policy reads one: a rollback to this point compares migrations with it
        java.util.Optional<io.jenkins.plugins.rollbackguard.engine.ledger.SeenHead> head = dataVersion != null
                ? java.util.Optional.empty() : session.dataHead();
        String version = dataVersion != null ? dataVersion : head.isPresent() ? null : session.dataVersion();
        ArtifactRef stored = host.artifacts(policy.environment()).put(artifact);
        RollbackPoint.Builder draft = RollbackPoint.builder(policy.environment(),
                        PointSource.cli("adopt-" + UUID.randomUUID())).artifact(stored).gitCommit(commit)
                .dataVersion(version).adopted().attribute(RollbackPlanner.TRIGGER, "adopt");
        head.ifPresent(seen -> draft.dataHead(seen).dataVersion(seen.head().isNone() && policy.tracksDataImplicitly()
                ? null : seen.head().head()));
        CommandDeployer.record(command).forEach(draft::attribute); // a revert to it runs from anywhere
        return host.ledger().record(draft
                .attribute(GuardSession.POLICY, new PolicyReader().mapper().writeValueAsString(policy)),
                System.getProperty("user.name"), "adopted what runs now");
    }
}
