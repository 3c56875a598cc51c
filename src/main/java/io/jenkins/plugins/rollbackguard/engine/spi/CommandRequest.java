package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run: arguments, extra environment, working directory, timeout, where its standard output
 * goes, and which secrets to mask in what comes back. Serialisable so that it can travel to a Jenkins
 * agent. Secrets that the process needs go in {@link #secretEnvironment()}, never in the arguments; secrets it does
 * not get but might print anyway (those the rest of the run resolved, which it may inherit) go in
 * {@link #alsoMasked()}.
 *
 * @param command
 *         the program and its arguments; not empty
 * @param environment
 *         variables added to the inherited environment
 * @param secretEnvironment
 *         variables holding secrets (passwords, tokens): passed to the process, masked in its output
 * @param workingDirectory
 *         the directory to run in, or null for the runner's default
 * @param timeout
 *         how long the process (and its children) may run before the whole tree is killed
 * @param stdoutFile
 *         a file that receives standard output (for dumps), or null to capture it as text
 * @param outputLimit
 *         how many characters of captured output to keep per stream; the rest is cut off
 * @param alsoMasked
 *         further secrets masked in what comes back (the run's), beyond those of {@code secretEnvironment}
 */
public record CommandRequest(List<String> command, Map<String, String> environment,
                             Map<String, Secret> secretEnvironment, String workingDirectory,
                             Duration timeout, String stdoutFile, int outputLimit, Masker alsoMasked)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** The default output limit: 64 KiB of text per stream. */
    public static final int DEFAULT_OUTPUT_LIMIT = 64 * 1024;

    /** Validates and copies the values. */
    public CommandRequest {
        Objects.requireNonNull(command, "command");
        if (command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
            throw new IllegalArgumentException("command: must name a program, got " + command);
        }
        command = List.copyOf(command);
        environment = Map.copyOf(environment == null ? Map.of() : environment);
        secretEnvironment = Map.copyOf(secretEnvironment == null ? Map.of() : secretEnvironment);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: must be positive, got " + timeout);
        }
        if (outputLimit <= 0) {
            throw new IllegalArgumentException("outputLimit: must be positive, got " + outputLimit);
        }
        alsoMasked = alsoMasked == null ? Masker.none() : alsoMasked;
    }

    /**
     * Creates a request that masks only the secrets of its own environment.
     *
     * @param command
     *         the program and its arguments; not empty
     * @param environment
     *         variables added to the inherited environment
     * @param secretEnvironment
     *         variables holding secrets
     * @param workingDirectory
     *         the directory to run in, or null for the runner's default
     * @param timeout
     *         how long the process may run
     * @param stdoutFile
     *         a file that receives standard output, or null to capture it
     * @param outputLimit
     *         how many characters of captured output to keep per stream
     */
    public CommandRequest(final List<String> command, final Map<String, String> environment,
                          final Map<String, Secret> secretEnvironment, final String workingDirectory,
                          final Duration timeout, final String stdoutFile, final int outputLimit) {
        this(command, environment, secretEnvironment, workingDirectory, timeout, stdoutFile, outputLimit, Masker.none());
    }

    /**
     * Creates a request with no extra environment that captures output.
     *
     * @param timeout
     *         the timeout
     * @param command
     *         the program and its arguments
     * @return the request
     */
    public static CommandRequest of(final Duration timeout, final String... command) {
        return new CommandRequest(List.of(command), Map.of(), Map.of(), null, timeout, null, DEFAULT_OUTPUT_LIMIT);
    }

    /**
     * Returns a copy with further environment variables.
     *
     * @param name
     *         the variable
     * @param value
     *         its value
     * @return the new request
     */
    public CommandRequest withEnv(final String name, final String value) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(name, value);
        return new CommandRequest(command, env, secretEnvironment, workingDirectory, timeout, stdoutFile, outputLimit, alsoMasked);
    }

    /**
     * Returns a copy with a further secret variable.
     *
     * @param name
     *         the variable
     * @param value
     *         the secret
     * @return the new request
     */
    public CommandRequest withSecretEnv(final String name, final Secret value) {
        Map<String, Secret> env = new LinkedHashMap<>(secretEnvironment);
        env.put(name, value);
        return new CommandRequest(command, environment, env, workingDirectory, timeout, stdoutFile, outputLimit, alsoMasked);
    }

    /**
     * Returns a copy that runs in another directory.
     *
     * @param directory
     *         the working directory
     * @return the new request
     */
    public CommandRequest inDirectory(final String directory) {
        return new CommandRequest(command, environment, secretEnvironment, directory, timeout, stdoutFile, outputLimit, alsoMasked);
    }

    /**
     * Returns a copy that writes standard output to a file.
     *
     * @param file
     *         the file
     * @return the new request
     */
    public CommandRequest withStdoutTo(final String file) {
        return new CommandRequest(command, environment, secretEnvironment, workingDirectory, timeout, file, outputLimit, alsoMasked);
    }

    /**
     * Returns a copy that also masks the given secrets in what comes back.
     *
     * @param more
     *         a masker of further secrets (the run's)
     * @return the new request
     */
    public CommandRequest alsoMasking(final Masker more) {
        return new CommandRequest(command, environment, secretEnvironment, workingDirectory, timeout, stdoutFile,
                outputLimit, alsoMasked.with(more));
    }

    /** @return a masker for the secrets of this request and those it also masks */
    public Masker masker() {
        return Masker.of(secretEnvironment.values()).with(alsoMasked);
    }

    /** @return the command as one line, secrets masked */
    public String describe() {
        return masker().mask(String.join(" ", command));
    }
}
