package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.spi.SecretNames;

/**
 * Commands run around a revert: {@code beforeRevert} (e.g. pause a marketplace stock sync; a failure
 * stops the revert and keeps the circuit open) and {@code afterRevert} (e.g. compensate coupons the bad
 * version issued). They come from the policy of the point being left, which knows what it changed.
 *
 * @param beforeRevert
 *         commands run before the revert, in order
 * @param afterRevert
 *         commands run after a successful revert, in order
 */
public record HooksSpec(List<HookCommand> beforeRevert, List<HookCommand> afterRevert) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Copies the lists. */
    public HooksSpec {
        beforeRevert = beforeRevert == null ? List.of() : List.copyOf(beforeRevert);
        afterRevert = afterRevert == null ? List.of() : List.copyOf(afterRevert);
    }

    /** @return no hooks */
    public static HooksSpec none() {
        return new HooksSpec(List.of(), List.of());
    }

    /**
     * One hook. It inherits the host's environment; secrets it needs are named in {@code secretEnvironment}, so that
     * they are masked in its output (as are all other secrets of the run).
     *
     * @param name
     *         a label for the timeline
     * @param command
     *         the program and its arguments
     * @param timeout
     *         how long it may run (default 5m)
     * @param secretEnvironment
     *         variables filled from secrets: variable name to secret NAME
     */
    public record HookCommand(String name, List<String> command, String timeout, Map<String, String> secretEnvironment)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L; // first release

        /** Checks the values. */
        public HookCommand {
            if (command == null || command.isEmpty()) {
                throw new IllegalArgumentException("hooks: command: is required for hook '%s'".formatted(name));
            }
            command = List.copyOf(command);
            name = name == null || name.isBlank() ? command.get(0) : name;
            timeout = timeout == null ? "5m" : timeout;
            io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations.parse("hooks." + name + ".timeout", timeout);
            secretEnvironment = secretEnvironment == null ? Map.of() : Map.copyOf(secretEnvironment);
            secretEnvironment.forEach((variable, secret) -> SecretNames.checkVariable("secretEnvironment", variable, secret));
        }

        /**
         * Creates a hook without secrets.
         *
         * @param name
         *         a label for the timeline
         * @param command
         *         the program and its arguments
         * @param timeout
         *         how long it may run, or null for 5m
         */
        public HookCommand(final String name, final List<String> command, final String timeout) {
            this(name, command, timeout, null);
        }
    }
}
