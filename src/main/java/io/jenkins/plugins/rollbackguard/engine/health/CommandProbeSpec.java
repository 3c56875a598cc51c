package io.jenkins.plugins.rollbackguard.engine.health;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretNames;
import java.io.Serial;
import java.util.List;
import java.util.Map;

/**
 * A command probe: runs a program with arguments, environment and a timeout on the machine that
 * watches (the whole process tree is killed on timeout; the host runs it through its command runner). Exit code 0 is success; with
 * {@code valuePattern} the number it finds in standard output becomes the value.
 *
 * @param name
 *         the probe name
 * @param command
 *         the program and its arguments
 * @param environment
 *         extra environment variables (not secret)
 * @param secretEnvironment
 *         variables filled from secrets: variable name to secret name
 * @param timeout
 *         how long one run may take, default {@code 30s}
 * @param valuePattern
 *         a regular expression whose first group (or whole match) is the value, or null
 * @param failIf
 *         failure threshold, or null
 * @param successIf
 *         success threshold, or null
 * @param analysis
 *         sampling and judging, defaults if null
 */
public record CommandProbeSpec(String name, List<String> command, Map<String, String> environment,
                               Map<String, String> secretEnvironment, String timeout, String valuePattern,
                               String failIf, String successIf, AnalysisSettings analysis) implements ProbeSpec {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Fills defaults and validates. */
    public CommandProbeSpec {
        ProbeSpec.requireName(name);
        if (command == null || command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
            throw new IllegalArgumentException("command: must name a program, got " + command);
        }
        command = List.copyOf(command);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        secretEnvironment = secretEnvironment == null ? Map.of() : Map.copyOf(secretEnvironment);
        secretEnvironment.forEach((variable, secret) -> SecretNames.checkVariable("secretEnvironment", variable, secret));
        timeout = HttpProbeSpec.positiveDuration("timeout", timeout, "30s");
        if (valuePattern != null) {
            HttpProbeSpec.checkRegex("valuePattern", valuePattern);
        }
        analysis = analysis == null ? AnalysisSettings.defaults() : analysis;
        ProbeSpec.requirePointers(analysis);
        Thresholds.parse(name, failIf, successIf); // fields are not yet assigned here, so not thresholds()
    }
}
