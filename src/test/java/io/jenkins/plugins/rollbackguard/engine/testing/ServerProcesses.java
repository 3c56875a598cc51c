package io.jenkins.plugins.rollbackguard.engine.testing;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers for the real-server fixtures: free ports, running tools, and the missing-binaries rule. */
final class ServerProcesses {
    /** Set to {@code true} to skip, rather than fail, tests whose server binaries are not installed. */
    static final String ALLOW_MISSING = "rollbackguard.allowMissingServers";

    private ServerProcesses() {
        // static helpers only
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Fails (or, if allowed, skips) when a server binary is missing: CI must not pass silently without servers. */
    static void requireBinary(final Path binary, final String packageName) {
        if (Files.isExecutable(binary)) {
            return;
        }
        if (Boolean.getBoolean(ALLOW_MISSING)) {
            assumeThat(binary).as("server binary (install %s)", packageName).isExecutable();
        }
        throw new IllegalStateException("%s is missing: install the Debian package %s, or run with -D%s=true to skip"
                .formatted(binary, packageName, ALLOW_MISSING));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    /** Runs a tool to its end; fails with its output if it exits non-zero. */
    static String run(final List<String> command) {
        return run(command, "");
    }

    /**
     * Runs a tool to its end with a text on its standard input (SQL with a password: a command line is visible to
     * every user in /proc, standard input is not); fails with its output if it exits non-zero.
     */
    static String run(final List<String> command, final String input) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("%s failed: %s".formatted(command, output));
            }
            return output;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + command, e);
        }
    }

    /** Prefixes a command so that it runs as another user when the tests run as root. */
    static List<String> as(final String user, final String... command) {
        List<String> result = new ArrayList<>();
        if (isRoot()) {
            result.addAll(List.of("runuser", "-u", user, "--"));
        }
        result.addAll(List.of(command));
        return result;
    }

    static void deleteTree(final Path root) {
        run(List.of("rm", "-rf", root.toString()));
    }
}
