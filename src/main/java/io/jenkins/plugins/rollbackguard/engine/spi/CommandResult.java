package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * What a process did: exit code, captured output (secrets already masked), how long it ran, and
 * whether it was killed for running too long.
 *
 * @param exitCode
 *         the exit code; -1 when killed by the timeout
 * @param stdout
 *         captured standard output, cut at the request's limit, masked; empty when it went to a file
 * @param stderr
 *         captured standard error, cut at the request's limit, masked
 * @param duration
 *         wall-clock run time
 * @param timedOut
 *         whether the process tree was killed by the timeout
 */
public record CommandResult(int exitCode, String stdout, String stderr, Duration duration, boolean timedOut)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** @return whether the process exited with 0 in time */
    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** @return a one-line summary: exit code or timeout, and the last line of standard error */
    public String summary() {
        String status = timedOut ? "timed out after " + duration.toMillis() + " ms" : "exit code " + exitCode;
        String last = lastLine(stderr);
        return last.isEmpty() ? status : status + ": " + last;
    }

    private static String lastLine(final String text) {
        String trimmed = text == null ? "" : text.strip();
        int newline = trimmed.lastIndexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(newline + 1).strip();
    }
}
