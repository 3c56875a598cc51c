package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretNames;

/**
 * The command that takes the database back to a rollback target's data head ({@code liquibase rollback <tag>}, a
 * script): a code rollback across a migration that is not backward compatible runs it first, then reads the head
 * again and goes on only if it is the target's. It gets {@code ROLLBACK_GUARD_ENVIRONMENT},
 * {@code ROLLBACK_GUARD_BAD_POINT}, {@code ROLLBACK_GUARD_TARGET_POINT}, {@code ROLLBACK_GUARD_TARGET_HEAD} (the
 * target's head) and {@code ROLLBACK_GUARD_TARGET_TAG} (its last Liquibase tag, if any).
 *
 * @param command
 *         the program and its arguments
 * @param timeout
 *         how long it may run (default 10m)
 * @param secretEnvironment
 *         variables filled from secrets: variable name to secret NAME
 */
public record DataUndoSpec(List<String> command, String timeout, Map<String, String> secretEnvironment)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Checks the values. */
    public DataUndoSpec {
        if (command == null || command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
            throw new IllegalArgumentException("dataVersion.undo.command: is required; give the command that takes the "
                    + "database back, e.g. [liquibase, rollback, v1]");
        }
        command = List.copyOf(command);
        timeout = timeout == null ? "10m" : timeout;
        Durations.parse("dataVersion.undo.timeout", timeout);
        secretEnvironment = secretEnvironment == null ? Map.of() : Map.copyOf(secretEnvironment);
        secretEnvironment.forEach((variable, secret) ->
                SecretNames.checkVariable("secretEnvironment", variable, secret));
    }

    /** @return the undo as a hook, run like one ({@link HookRunner}) */
    HooksSpec.HookCommand asHook() {
        return new HooksSpec.HookCommand("undo", command, timeout, secretEnvironment);
    }
}
