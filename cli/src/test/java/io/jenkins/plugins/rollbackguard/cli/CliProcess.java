package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code rollback-guard.jar} as a real process with its own home directory. */
final class CliProcess {
    private final Path home;

    CliProcess(final Path home) {
        this.home = home;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("rollbackguard.cliJar", "target/rollback-guard.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the CLI jar is missing at " + jar.toAbsolutePath() + ": run mvn -f cli/pom.xml verify");
        }
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The result of a finished run: exit code and merged output. */
    record Result(int exit, String output) {
    }

    Process start(final String... args) {
        return start(env -> { }, args);
    }

    /** Starts the CLI with its environment changed first (a variable removed, for a secret that is not set). */
    Process start(final java.util.function.Consumer<java.util.Map<String, String>> environment, final String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ROLLBACK_GUARD_HOME", home.toString());
        environment.accept(builder.environment());
        try {
            return builder.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the CLI in a working directory, its environment changed first: a test reads its output while it runs
     * (the deploy output streamed live) or runs it from somewhere else (a rollback from another directory).
     */
    Process startIn(final Path directory, final java.util.function.Consumer<java.util.Map<String, String>> environment,
                    final String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-jar",
                jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(directory.toFile());
        builder.environment().put("ROLLBACK_GUARD_HOME", home.toString());
        environment.accept(builder.environment());
        try {
            return builder.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result of a finished run with its standard output and standard error apart. */
    record Split(int exit, String out, String err) {
    }

    /** Runs the CLI with standard output and standard error apart: a {@code --json} run prints its object alone. */
    Split runSplit(final String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("ROLLBACK_GUARD_HOME", home.toString());
        try {
            Process process = builder.start();
            java.util.concurrent.CompletableFuture<String> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (InputStream in = process.getErrorStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Result out = finish(process, Duration.ofMinutes(3));
            return new Split(out.exit(), out.output(), err.get(1, TimeUnit.MINUTES));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("standard error of the CLI could not be read", e);
        }
    }

    Result runIn(final Path directory, final String... args) {
        return finish(startIn(directory, env -> { }, args), Duration.ofMinutes(3));
    }

    Result run(final String... args) {
        return finish(start(args), Duration.ofMinutes(3));
    }

    Result run(final java.util.function.Consumer<java.util.Map<String, String>> environment, final String... args) {
        return finish(start(environment, args), Duration.ofMinutes(3));
    }

    static Result finish(final Process process, final Duration timeout) {
        try (InputStream in = process.getInputStream()) {
            byte[] output = in.readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the CLI did not finish in " + timeout);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
