package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * Runs revert hooks in order, reporting each one's outcome and output; stops at the first failure. A hook's
 * {@code secretEnvironment} is resolved here; its output is masked with those secrets and, through the session's
 * runner, with every other secret of the run.
 */
final class HookRunner {
    private final CommandRunner runner;
    private final SecretSource secrets;
    private final Timeline timeline;

    HookRunner(final CommandRunner runner, final SecretSource secrets, final Timeline timeline) {
        this.runner = runner;
        this.secrets = secrets;
        this.timeline = timeline;
    }

    /**
     * Runs hooks.
     *
     * @param phase
     *         "beforeRevert" or "afterRevert", for the timeline
     * @param hooks
     *         the hooks
     * @param environment
     *         variables for the hooks (ROLLBACK_GUARD_*)
     * @return null if all succeeded, else a line saying which failed and how
     */
    String run(final String phase, final List<HooksSpec.HookCommand> hooks, final java.util.Map<String, String> environment) {
        for (int i = 0; i < hooks.size(); i++) {
            HooksSpec.HookCommand hook = hooks.get(i);
            CommandResult result;
            try {
                result = runner.run(request(hook, "hooks.%s[%d].secretEnvironment.".formatted(phase, i), environment));
            }
            catch (RuntimeException e) {
                String line = "%s hook '%s' could not start: %s".formatted(phase, hook.name(), e.getMessage());
                timeline.add("hook", line);
                return line;
            }
            String output = (result.stdout() + result.stderr()).strip();
            timeline.add("hook", "%s hook '%s': %s%s".formatted(phase, hook.name(),
                    result.succeeded() ? "ok" : result.summary(), output.isEmpty() ? "" : " | " + lastLines(output)));
            if (!result.succeeded()) {
                return "%s hook '%s' failed: %s".formatted(phase, hook.name(), result.summary());
            }
        }
        return null;
    }

    private CommandRequest request(final HooksSpec.HookCommand hook, final String field,
                                   final java.util.Map<String, String> environment) {
        CommandRequest request = new CommandRequest(hook.command(), environment, java.util.Map.of(), null,
                Durations.parse("hooks." + hook.name() + ".timeout", hook.timeout()), null, 16 * 1024);
        for (java.util.Map.Entry<String, String> secret : hook.secretEnvironment().entrySet()) {
            request = request.withSecretEnv(secret.getKey(), secrets.require(secret.getValue(), field + secret.getKey()));
        }
        return request;
    }

    private static String lastLines(final String output) {
        List<String> lines = output.lines().toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
