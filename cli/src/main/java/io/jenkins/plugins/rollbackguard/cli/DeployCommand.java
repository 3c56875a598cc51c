package io.jenkins.plugins.rollbackguard.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.jenkins.plugins.rollbackguard.engine.guard.DeployRequest;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyCheckException;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback-guard deploy}: a full guarded deploy. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        header = "Run a guarded deploy, and revert to the last good point when a probe trips.",
        description = {"Preflight, record the point, take the baselines and backups, run COMMAND with the artifact, watch "
            + "the probes, and on a trip revert to the last good point.",
            "COMMAND gets the artifact's path as {artifact} and in ROLLBACK_GUARD_ARTIFACT."},
        footerHeading = "%nExample:%n",
        footer = {"  rollback-guard deploy --policy policy.yaml --artifact shop-2.0.jar \\",
            "      --commit 3f2a9c1 -- ./deploy.sh {artifact}"})
final class DeployCommand implements Callable<Integer> {
    @Mixin
    private LedgerOptions ledgerOptions;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The policy file (YAML or JSON).")
    private Path policyFile;

    @Option(names = "--artifact", required = true, paramLabel = "PATH", description = "The artifact to deploy (kept by hash for reverts).")
    private Path artifact;

    @Option(names = "--commit", paramLabel = "SHA", description = "The git commit being deployed.")
    private String commit;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
            description = "A non-secret parameter to record. One whose name contains password, token, secret, key "
                + "(and the like) is recorded masked, with a warning, unless the policy lists it in publicParameters.")
    private List<String> parameters = new java.util.ArrayList<>(); // split here: picocli's Map splitting echoes values

    @Option(names = "--force", paramLabel = "REASON", description = "Deploy even though the environment is frozen; the reason is recorded.")
    private String force;

    @Option(names = "--no-reach", description = "Do not reach the probes before deploying (preflight: {reach: false}), "
        + "for the hotfix of a service that is down already. Everything else is still checked.")
    private boolean noReach;

    @Option(names = "--dry-run", description = "Check and plan only: preflight, the baselines, the backups it would take, "
        + "the data version and the revert a trip would start. Nothing is deployed, recorded or stored.")
    private boolean dryRun;

    @Option(names = "--json", description = "End with one JSON object on standard output (outcome, point ids, time to "
            + "detect, time to restore, incident duration, the explanation); the live timeline goes to standard error.")
    private boolean json;

    @Option(names = "--run-id", paramLabel = "ID", description = "An id for this run (default: random).")
    private String runId;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The deploy command and its arguments (after --).")
    private List<String> command;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Policy read = ledgerOptions.policyReader().read(policyFile);
        Policy policy = noReach ? read.withReach(false) : read;
        if (!Files.isRegularFile(artifact)) {
            throw new IllegalArgumentException("--artifact: '%s' is not a readable file".formatted(artifact));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter live = json ? spec.commandLine().getErr() : out; // standard output holds the JSON object alone
        try (CliHost host = new CliHost(ledgerOptions.home(), ledgerOptions.directory(), live)) {
            if (dryRun) {
                return plan(host, policy, out);
            }
            GuardOutcome outcome = deploy(host, policy);
            if (json) {
                Json.printMasked(out, FinalReport.of("deploy", outcome, host.ledger(), outcome.exitCode()));
            }
            else {
                Summary.print(out, outcome, Summary.circuitOf(host.ledger(), policy.environment()));
            }
            return outcome.exitCode();
        }
        catch (PolicyCheckException e) {
            throw e.in(policyFile.toString()); // the engine knows the fields; the file is the user's
        }
    }

    /** The dry run: the services read the ledger and the stores and write nothing (the ledger refuses writes). */
    private int plan(final CliHost host, final Policy policy, final PrintWriter out) {
        GuardServices services = host.readingServices(policy.environment());
        DeployRequest request = request(null, CommandDeployer.record(command), commit, parameters(parameters), force,
                runId != null ? runId : "dry-run");
        Timeline timeline = new Timeline(services.scheduler()::now, host.listener());
        GuardSession session = new GuardSession(services, policy, timeline);
        List<String> planned = session.machine(session.localHost(null, Runnable::run)).plan(request).lines();
        List<String> lines = new java.util.ArrayList<>(List.of(planned.get(0),
                "  artifact: %s (%d bytes, sha256 %s), not stored".formatted(artifact.getFileName(), size(artifact),
                        sha256(artifact).substring(0, 12)),
                "  deploy command: " + String.join(" ", command) + " (not run)"));
        lines.addAll(planned.subList(1, planned.size()));
        if (json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("command", "deploy");
            report.put("dryRun", true);
            report.put("environment", policy.environment().value());
            report.put("plan", lines);
            Json.printMasked(out, report);
            return ExitCodes.OK;
        }
        lines.forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }

    private static long size(final Path file) {
        try {
            return Files.size(file);
        }
        catch (java.io.IOException e) {
            throw new IllegalArgumentException("--artifact: '%s' cannot be read: %s".formatted(file, e.getMessage()), e);
        }
    }

    private static String sha256(final Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        }
        catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("--artifact: '%s' cannot be read: %s".formatted(file, e.getMessage()), e);
        }
    }

    private static DeployRequest request(final ArtifactRef artifact, final Map<String, String> recorded,
                                         final String commit, final Map<String, String> parameters, final String force,
                                         final String runId) {
        return new DeployRequest(PointSource.cli(runId), artifact == null ? List.of() : List.of(artifact), commit,
                parameters, System.getProperty("user.name"), force, 0, "manual", null, recorded);
    }

    private GuardOutcome deploy(final CliHost host, final Policy policy) {
        return deploy(host, policy, artifact, command, commit, parameters(parameters), force, runId);
    }

    /**
     * Splits {@code NAME=VALUE} arguments at their first {@code =}. picocli would split them itself, but it warns
     * about unbalanced quotes with the whole argument, value included, and a value may be a secret.
     *
     * @param arguments
     *         the {@code -p} arguments
     * @return the parameters by name, in order
     * @throws IllegalArgumentException
     *         for an argument without a name (the message does not repeat it)
     */
    static Map<String, String> parameters(final List<String> arguments) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(("-p: expects NAME=VALUE, but an argument of %d characters has %s "
                        + "(it is not repeated here, as it may hold a secret); write -p version=1.2")
                        .formatted(argument.length(), equals < 0 ? "no '='" : "no name before '='"));
            }
            parameters.put(argument.substring(0, equals), argument.substring(equals + 1));
        }
        return parameters;
    }

    /**
     * Runs a guarded deploy with the CLI's ports (also used by {@code demo} and {@code drill}).
     *
     * @return the outcome
     */
    static GuardOutcome deploy(final CliHost host, final Policy policy, final Path artifact, final List<String> command,
                               final String commit, final Map<String, String> parameters, final String force,
                               final String runId) {
        GuardServices services = host.services(policy.environment());
        Map<String, String> recorded = CommandDeployer.record(command); // resolved here, run the same from anywhere
        DeployRequest request = request(null, recorded, commit, parameters, force,
                runId != null ? runId : UUID.randomUUID().toString());
        Timeline timeline = new Timeline(services.scheduler()::now, host.listener());
        CommandDeployer deployer = CommandDeployer.of(recorded, services, policy, timeline);
        GuardSession session = new GuardSession(services, policy, timeline);
        try (StopOnSignal signals = new StopOnSignal()) {
            return session.run(request, deployer, new CliReverter(services, timeline, "auto", "guard"), false,
                    machine -> {
                        // stored once preflight and the lease passed: a refused deploy leaves no file behind
                        machine.beforeRecord(checked -> checked.withArtifacts(
                                List.of(host.artifacts(policy.environment()).put(artifact))));
                        signals.attach(machine);
                    });
        }
        finally {
            session.awaitNotifications(java.time.Duration.ofSeconds(30));
        }
    }
}
