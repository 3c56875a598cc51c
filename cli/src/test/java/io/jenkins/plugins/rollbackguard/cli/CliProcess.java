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

/**
 * Runs the CLI as a user does: the distribution's {@code bin/rollback-guard}, from the tar.gz that {@code package}
 * built (unpacked once per test JVM with the system's tar), as a real process with its own home directory.
 */
final class CliProcess {
    /** The JVM options of every run: C1 only, as the processes are short-lived (passed through JAVA_OPTS). */
    private static final String JVM_OPTIONS = "-XX:TieredStopAtLevel=1";
    private static Path unpacked;

    private final Path home;

    CliProcess(final Path home) {
        this.home = home;
    }

    /** @return the unpacked distribution's top directory ({@code bin/}, {@code lib/}, {@code share/}) */
    static synchronized Path distribution() {
        if (unpacked == null) {
            Path archive = Path.of(System.getProperty("rollbackguard.dist", "target/rollback-guard-dist.tar.gz"));
            if (!Files.isRegularFile(archive)) {
                throw new IllegalStateException("the distribution is missing at " + archive.toAbsolutePath()
                        + ": run mvn -f cli/pom.xml verify");
            }
            Path into = archive.toAbsolutePath().resolveSibling("e2e-dist");
            try {
                if (Files.exists(into)) {
                    try (java.util.stream.Stream<Path> old = Files.walk(into)) {
                        old.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                }
                Files.createDirectories(into);
                Result tar = finish(new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C",
                        into.toString()).redirectErrorStream(true).start(), Duration.ofMinutes(1));
                if (tar.exit() != 0) {
                    throw new IllegalStateException("tar could not unpack " + archive + ": " + tar.output());
                }
                try (java.util.stream.Stream<Path> top = Files.list(into)) {
                    unpacked = top.filter(Files::isDirectory).findFirst()
                            .orElseThrow(() -> new IllegalStateException(archive + " holds no top directory"));
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return unpacked;
    }

    /** @return the launcher, {@code bin/rollback-guard} */
    static Path launcher() {
        return distribution().resolve("bin/rollback-guard");
    }

    /** @return the distribution's jar (for the demo shop the tests start with {@code -cp}) */
    static Path jar() {
        return distribution().resolve("lib/rollback-guard.jar");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The one place that builds the command line of a CLI run: the launcher with the arguments, the test's JVM
     * through JAVA_HOME (the launcher's own choice of java), the JVM options through JAVA_OPTS.
     *
     * @param jvmOptions
     *         more JVM options (no spaces inside one)
     * @param args
     *         the CLI's arguments
     * @return a builder for the run; the caller adds its directory, environment and redirections
     */
    static ProcessBuilder builder(final List<String> jvmOptions, final String... args) {
        List<String> command = new ArrayList<>(List.of(launcher().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        List<String> options = new ArrayList<>(List.of(JVM_OPTIONS));
        options.addAll(jvmOptions);
        builder.environment().put("JAVA_OPTS", String.join(" ", options));
        builder.environment().remove("ROLLBACK_GUARD_OPTS");
        return builder;
    }

    /** The result of a finished run: exit code and merged output. */
    record Result(int exit, String output) {
    }

    Process start(final String... args) {
        return start(env -> { }, args);
    }

    /** Starts the CLI with its environment changed first (a variable removed, for a secret that is not set). */
    Process start(final java.util.function.Consumer<java.util.Map<String, String>> environment, final String... args) {
        return startIn(null, environment, args);
    }

    /**
     * Starts the CLI in a working directory, its environment changed first: a test reads its output while it runs
     * (the deploy output streamed live) or runs it from somewhere else (a rollback from another directory).
     */
    Process startIn(final Path directory, final java.util.function.Consumer<java.util.Map<String, String>> environment,
                    final String... args) {
        ProcessBuilder builder = builder(List.of(), args).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
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
        ProcessBuilder builder = builder(List.of(), args);
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
