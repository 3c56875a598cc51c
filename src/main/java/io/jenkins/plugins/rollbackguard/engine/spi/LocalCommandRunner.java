package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs processes on this machine with {@link ProcessBuilder}. On timeout the whole process tree is
 * killed (children first, so that none is re-parented and left behind). Output is drained by two short
 * reader threads per process and cut at the request's limit.
 */
public final class LocalCommandRunner implements CommandRunner {
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);

    @Override
    public CommandResult run(final CommandRequest request) {
        Masker masker = request.masker();
        ProcessBuilder builder = new ProcessBuilder(request.command());
        Map<String, String> env = builder.environment();
        env.putAll(request.environment());
        request.secretEnvironment().forEach((name, secret) -> env.put(name, secret.reveal()));
        if (request.workingDirectory() != null) {
            builder.directory(new File(request.workingDirectory()));
        }
        if (request.stdoutFile() != null) {
            builder.redirectOutput(new File(request.stdoutFile()));
        }
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        }
        catch (IOException e) {
            throw new CommandNotStartedException("Cannot start '%s': %s".formatted(
                    request.describe(), masker.mask(e.getMessage())), e);
        }
        closeQuietly(process);
        Drain out = request.stdoutFile() == null ? Drain.start(process.getInputStream(), request.outputLimit()) : null;
        Drain err = Drain.start(process.getErrorStream(), request.outputLimit());
        boolean timedOut = waitFor(process, request.timeout());
        if (timedOut) {
            killTree(process);
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        String stdout = out == null ? "" : out.finish();
        String stderr = err.finish();
        int exit = timedOut ? -1 : process.exitValue();
        return new CommandResult(exit, masker.mask(stdout), masker.mask(stderr), duration, timedOut);
    }

    private static void closeQuietly(final Process process) {
        try {
            process.getOutputStream().close(); // the process reads no input: it sees end of file at once
        }
        catch (IOException e) {
            // it exited already
        }
    }

    private static boolean waitFor(final Process process, final Duration timeout) {
        try {
            return !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new CommandException("Interrupted while waiting for a process", e);
        }
    }

    /**
     * Kills a process and all its descendants.
     *
     * @param process
     *         the process
     */
    public static void killTree(final Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one stream to its end, keeping at most a limit of characters. */
    private static final class Drain implements Runnable {
        private final Reader reader;
        private final int limit;
        private final StringBuilder text = new StringBuilder();
        private final Thread thread;
        private boolean truncated;

        private Drain(final InputStream stream, final int limit) {
            this.reader = new InputStreamReader(stream, StandardCharsets.UTF_8);
            this.limit = limit;
            this.thread = new Thread(this, "rollback-guard-drain");
            thread.setDaemon(true);
        }

        static Drain start(final InputStream stream, final int limit) {
            Drain drain = new Drain(stream, limit);
            drain.thread.start();
            return drain;
        }

        @Override
        public void run() {
            char[] buffer = new char[8192];
            try (reader) {
                int n;
                while ((n = reader.read(buffer)) >= 0) {
                    synchronized (this) {
                        int keep = Math.min(n, limit - text.length());
                        if (keep > 0) {
                            text.append(buffer, 0, keep);
                        }
                        truncated |= keep < n;
                    }
                }
            }
            catch (IOException e) {
                // The stream closes when the process is killed; what was read so far is kept.
            }
        }

        String finish() {
            try {
                thread.join(DRAIN_GRACE.toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                return truncated ? text + "\n[output cut at " + limit + " characters]" : text.toString();
            }
        }
    }
}
