package io.jenkins.plugins.rollbackguard.engine.health.probe;

import io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandException;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.Masker;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;
import io.jenkins.plugins.rollbackguard.engine.spi.Secret;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a command through the {@link CommandRunner} port. A timeout (the runner kills the whole tree) or
 * a non-zero exit is a FAILURE; a command that cannot start, or output without the expected number, is
 * an ERROR. With {@code valuePattern}, the number it captures becomes the value.
 */
final class CommandProbe implements Probe {
    private final CommandProbeSpec spec;
    private final CommandRunner runner;
    private final CommandRequest request;
    private final Masker masker;
    private final Scheduler clock;
    private final Pattern valuePattern;
    private volatile CommandResult last; // for the evidence of a trip: formatted only when asked
    private volatile String lastFailure;

    CommandProbe(final CommandProbeSpec spec, final CommandRunner runner, final Map<String, Secret> secrets,
            final Scheduler clock) {
        this.spec = spec;
        this.runner = runner;
        this.clock = clock;
        CommandRequest base = CommandRequest.of(Durations.parse("timeout", spec.timeout()),
                spec.command().toArray(String[]::new));
        for (Map.Entry<String, String> e : spec.environment().entrySet()) {
            base = base.withEnv(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Secret> e : secrets.entrySet()) {
            base = base.withSecretEnv(e.getKey(), e.getValue());
        }
        this.request = base;
        this.masker = base.masker();
        this.valuePattern = spec.valuePattern() == null ? null : Pattern.compile(spec.valuePattern());
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public Measurement sample() {
        Instant at = clock.now();
        CommandResult result;
        try {
            result = runner.run(request);
        }
        catch (CommandException e) {
            lastFailure = masker.mask(e.getMessage());
            last = null;
            return Measurement.withoutValue(at, Outcome.ERROR, masker.mask(e.getMessage()));
        }
        last = result;
        lastFailure = null;
        if (result.timedOut() || result.exitCode() != 0) {
            return Measurement.withoutValue(at, Outcome.FAILURE, masker.mask(result.summary()));
        }
        if (JsonCounts.wanted(spec.analysis())) { // a rate probe: it prints JSON with the counts
            Measurement counted = JsonCounts.read(at, result.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    spec.analysis());
            return counted.classify(counted.outcome(), masker.mask(counted.detail()));
        }
        if (valuePattern == null) {
            return Measurement.withoutValue(at, Outcome.SUCCESS, "exit code 0");
        }
        return value(at, masker.mask(result.stdout()));
    }

    private Measurement value(final Instant at, final String stdout) {
        Matcher m = valuePattern.matcher(stdout);
        if (m.find()) {
            String text = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
            try {
                return Measurement.of(at, Double.parseDouble(text.strip()), Outcome.SUCCESS, "exit code 0");
            }
            catch (NumberFormatException e) {
                return Measurement.withoutValue(at, Outcome.ERROR, "'" + text + "' is not a number");
            }
        }
        return Measurement.withoutValue(at, Outcome.ERROR, "output does not match valuePattern");
    }

    @Override
    public java.util.Optional<String> lastResponse() {
        CommandResult result = last;
        String failure = lastFailure;
        if (result == null) {
            return java.util.Optional.ofNullable(failure).map(f -> request.describe() + "\nnot run: " + f + "\n");
        }
        String text = request.describe() + "\n" + (result.timedOut() ? "timed out" : "exit code " + result.exitCode())
                + "\n--- stdout (end) ---\n" + end(result.stdout()) + "\n--- stderr (end) ---\n" + end(result.stderr()) + "\n";
        return java.util.Optional.of(masker.mask(text));
    }

    /** The last {@link #RESPONSE_BYTES} characters of an output. */
    private static String end(final String output) {
        String text = output == null ? "" : output;
        return text.length() <= RESPONSE_BYTES ? text : "[cut] " + text.substring(text.length() - RESPONSE_BYTES);
    }
}
