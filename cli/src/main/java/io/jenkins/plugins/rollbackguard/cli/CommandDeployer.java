package io.jenkins.plugins.rollbackguard.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.rollbackguard.engine.guard.ArtifactStore;
import io.jenkins.plugins.rollbackguard.engine.guard.DeployNotStartedException;
import io.jenkins.plugins.rollbackguard.engine.guard.Deployer;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardException;
import io.jenkins.plugins.rollbackguard.engine.guard.GuardServices;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandNotStartedException;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * Deploys by running the user's command with the point's stored artifact: {@code {artifact}} in the
 * arguments and {@code ROLLBACK_GUARD_ARTIFACT} name its path. A revert runs the target point's own
 * command with the target's bytes. Secrets the command needs come from the policy's
 * {@code deploySecretEnvironment} (variable to secret name), so that they are masked in its output; the runner
 * masks every other secret of the run as well.
 */
final class CommandDeployer implements Deployer {
    /** Point attribute: the deploy command as a JSON list. */
    static final String COMMAND = "deployCommand";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> command;
    private final ArtifactStore artifacts;
    private final CommandRunner runner;
    private final Duration timeout;
    private final SecretSource secrets;
    private final Map<String, String> secretEnvironment;

    CommandDeployer(final List<String> command, final ArtifactStore artifacts, final CommandRunner runner,
                    final Duration timeout) {
        this(command, artifacts, runner, timeout, SecretSource.none(), Map.of());
    }

    CommandDeployer(final List<String> command, final ArtifactStore artifacts, final CommandRunner runner,
                    final Duration timeout, final SecretSource secrets, final Map<String, String> secretEnvironment) {
        this.command = List.copyOf(command);
        this.artifacts = artifacts;
        this.runner = runner;
        this.timeout = timeout;
        this.secrets = secrets;
        this.secretEnvironment = Map.copyOf(secretEnvironment);
    }

    /**
     * Creates the deployer of a policy: its timeout and its deploy secrets.
     *
     * @param command
     *         the deploy command
     * @param services
     *         the run's services (their runner masks the run's secrets)
     * @param policy
     *         the policy
     * @return the deployer
     */
    static CommandDeployer of(final List<String> command, final GuardServices services, final Policy policy) {
        return new CommandDeployer(command, services.artifacts(), services.runner(), policy.deployTimeoutDuration(),
                services.secrets(), policy.deploySecretEnvironment());
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
        String json = point.attributes().get(COMMAND);
        if (json == null) {
            throw new GuardException("%s has no deploy command recorded: it cannot be redeployed by the CLI".formatted(point.label()));
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        }
        catch (JsonProcessingException e) {
            throw new GuardException("%s: unreadable deploy command %s".formatted(point.label(), json), e);
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
        CommandRequest request = new CommandRequest(args, env, Map.of(), null, timeout, null, 16 * 1024);
        for (Map.Entry<String, String> secret : secretEnvironment.entrySet()) {
            request = request.withSecretEnv(secret.getKey(),
                    secrets.require(secret.getValue(), "deploySecretEnvironment." + secret.getKey()));
        }
        CommandResult result;
        try {
            result = runner.run(request);
        }
        catch (CommandNotStartedException e) { // no such program: nothing of the deploy ran
            throw new DeployNotStartedException(e.getMessage(), e);
        }
        return result.succeeded() ? null : "%s: %s".formatted(request.describe(), result.summary());
    }
}
