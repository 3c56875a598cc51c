package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.rollbackguard.engine.guard.ArtifactStore;
import io.jenkins.plugins.rollbackguard.engine.guard.DeployNotStartedException;
import io.jenkins.plugins.rollbackguard.engine.guard.Deployer;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardException;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandNotStartedException;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.OutputTail;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * Deploys by running the user's command with the point's stored artifact: {@code {artifact}} in the
 * arguments and {@code ROLLBACK_GUARD_ARTIFACT} name its path, whose file name is the artifact's original name. A
 * revert runs the target point's own command, in the directory it was deployed from, with the target's bytes.
 * Secrets the command needs come from the policy's {@code deploySecretEnvironment} (variable to secret name), so
 * that they are masked in its output; the runner masks every other secret of the run as well.
 *
 * <p>The command's output is printed live, line by line ({@code [deploy] } for standard output,
 * {@code [deploy:err] } for standard error), and its last 64 KiB is kept in {@code deploy-output.log} among the
 * point's files in the artifact store: not in the ledger, whose cold open reads every point.</p>
 */
final class CommandDeployer implements Deployer {
    /** Point attribute: the deploy command as a JSON list, its program resolved against the working directory. */
    static final String COMMAND = "deployCommand";
    /** Point attribute: the directory the deploy command ran in (and every revert to the point runs in). */
    static final String DIRECTORY = "deployDirectory";
    /** The file of a point's deploy output tail, among the point's files. */
    static final String OUTPUT = io.jenkins.plugins.rollbackguard.engine.guard.FileArtifactStore.DEPLOY_OUTPUT;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> command;
    private final String directory;
    private final ArtifactStore artifacts;
    private final CommandRunner runner;
    private final Duration timeout;
    private final SecretSource secrets;
    private final Map<String, String> secretEnvironment;
    private final Timeline timeline;

    CommandDeployer(final List<String> command, final ArtifactStore artifacts, final CommandRunner runner,
                    final Duration timeout) {
        this(command, null, artifacts, runner, timeout, SecretSource.none(), Map.of(), null);
    }

    CommandDeployer(final List<String> command, final String directory, final ArtifactStore artifacts,
                    final CommandRunner runner, final Duration timeout, final SecretSource secrets,
                    final Map<String, String> secretEnvironment, final Timeline timeline) {
        this.command = List.copyOf(command);
        this.directory = directory;
        this.artifacts = artifacts;
        this.runner = runner;
        this.timeout = timeout;
        this.secrets = secrets;
        this.secretEnvironment = Map.copyOf(secretEnvironment);
        this.timeline = timeline;
    }

    /**
     * Creates the deployer of recorded values ({@link #record} of a new deploy, {@link #recorded} of a target):
     * the command, its directory, the policy's timeout and deploy secrets; its output is printed on the timeline.
     *
     * @param recorded
     *         the point attributes {@link #COMMAND} and (for points recorded since it exists) {@link #DIRECTORY}
     * @param services
     *         the run's services (their runner masks the run's secrets)
     * @param policy
     *         the policy
     * @param timeline
     *         where the output lines are printed
     * @return the deployer
     */
    static CommandDeployer of(final Map<String, String> recorded, final GuardServices services, final Policy policy,
                              final Timeline timeline) {
        return new CommandDeployer(decode("the point", recorded.get(COMMAND)), recorded.get(DIRECTORY),
                services.artifacts(), services.runner(), policy.deployTimeoutDuration(), services.secrets(),
                policy.deploySecretEnvironment(), timeline);
    }

    /**
     * The attributes a new point records of its deploy command: the command with a relative program path
     * ({@code ./deploy.sh}) made absolute against this process's working directory, and that directory, so that a
     * revert or a manual rollback started from anywhere runs the same program in the same place.
     *
     * @param command
     *         the command as typed
     * @return the attributes {@link #COMMAND} and {@link #DIRECTORY}
     */
    static Map<String, String> record(final List<String> command) {
        Path directory = Path.of("").toAbsolutePath();
        Map<String, String> recorded = new LinkedHashMap<>();
        recorded.put(COMMAND, encode(resolve(command, directory)));
        recorded.put(DIRECTORY, directory.toString());
        return recorded;
    }

    /**
     * Resolves a relative program path against a directory; a bare name ({@code bash}) is looked up on the PATH
     * when it runs and stays as it is, and so do the arguments (they are read in the recorded directory).
     */
    static List<String> resolve(final List<String> command, final Path directory) {
        if (command.isEmpty()) {
            return command;
        }
        String program = command.get(0);
        boolean relativePath = (program.indexOf('/') >= 0 || program.indexOf('\\') >= 0) && !Path.of(program).isAbsolute();
        if (!relativePath) {
            return List.copyOf(command);
        }
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, directory.resolve(program).normalize().toString());
        return List.copyOf(resolved);
    }

    /**
     * The deploy attributes of a point, to run it again (a revert, a drill).
     *
     * @param point
     *         the point
     * @return its {@link #COMMAND} and, when it has one, {@link #DIRECTORY}
     * @throws GuardException
     *         when the point has no command recorded
     */
    static Map<String, String> recorded(final RollbackPoint point) {
        decode(point); // fails with the point's label when there is none
        Map<String, String> recorded = new LinkedHashMap<>();
        recorded.put(COMMAND, point.attributes().get(COMMAND));
        if (point.attributes().get(DIRECTORY) != null) {
            recorded.put(DIRECTORY, point.attributes().get(DIRECTORY));
        }
        return recorded;
    }

    static String encode(final List<String> command) {
        try {
            return JSON.writeValueAsString(command);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
    }

    static List<String> decode(final RollbackPoint point) {
        return decode(point.label(), point.attributes().get(COMMAND));
    }

    private static List<String> decode(final String label, final String json) {
        if (json == null) {
            throw new GuardException("%s has no deploy command recorded: it cannot be redeployed by the CLI".formatted(label));
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        }
        catch (JsonProcessingException e) {
            throw new GuardException("%s: unreadable deploy command %s".formatted(label, json), e);
        }
    }

    @Override
    public String deploy(final RollbackPoint point) {
        String artifact = point.artifacts().isEmpty() ? "" : artifacts.locate(point.artifacts().get(0))
                .map(Path::toString).orElseThrow(() -> new GuardException("the artifact of %s is not in the store"
                        .formatted(point.label())));
        List<String> args = new ArrayList<>();
        command.forEach(arg -> args.add(arg.replace("{artifact}", artifact)));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ROLLBACK_GUARD_ARTIFACT", artifact);
        env.put("ROLLBACK_GUARD_ENVIRONMENT", point.environment().value());
        env.put("ROLLBACK_GUARD_POINT", Long.toString(point.id()));
        env.put("ROLLBACK_GUARD_IS_ROLLBACK", Boolean.toString(point.isRevert()));
        if (point.isRevert()) {
            env.put("ROLLBACK_GUARD_REVERT_OF", Long.toString(point.revertOf()));
        }
        CommandRequest request = new CommandRequest(args, env, Map.of(), directory, timeout, null, 16 * 1024);
        for (Map.Entry<String, String> secret : secretEnvironment.entrySet()) {
            request = request.withSecretEnv(secret.getKey(),
                    secrets.require(secret.getValue(), "deploySecretEnvironment." + secret.getKey()));
        }
        if (timeline == null) {
            return finish(request, run(request, null));
        }
        OutputTail tail = new OutputTail(OutputTail.DEFAULT_BYTES);
        try {
            return finish(request, run(request, tail));
        }
        finally {
            keep(point, tail);
        }
    }

    private CommandResult run(final CommandRequest request, final OutputTail tail) {
        try {
            if (tail == null) {
                return runner.run(request);
            }
            return runner.run(request, (stderr, line) -> {
                String shown = (stderr ? "[deploy:err] " : "[deploy] ") + line;
                tail.add(shown);
                timeline.stream("deploy", shown);
            });
        }
        catch (CommandNotStartedException e) { // no such program: nothing of the deploy ran
            throw new DeployNotStartedException(e.getMessage(), e);
        }
    }

    private static String finish(final CommandRequest request, final CommandResult result) {
        return result.succeeded() ? null : "%s: %s".formatted(request.describe(), result.summary());
    }

    /** Writes the output's tail among the point's files; a failure to keep it changes nothing of the deploy. */
    private void keep(final RollbackPoint point, final OutputTail tail) {
        Optional<Path> files = artifacts.pointFiles(point.id());
        if (files.isEmpty()) {
            return;
        }
        try {
            tail.writeTo(files.get().resolve(OUTPUT));
        }
        catch (IOException | RuntimeException e) {
            timeline.add("deploy", "WARNING: the deploy output of %s could not be kept in %s: %s"
                    .formatted(point.label(), files.get(), e.getMessage()));
        }
    }
}
