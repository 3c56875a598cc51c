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
        return run(request, null);
    }

    /**
     * Runs a command and hands each line of its output, masked, to a receiver from the reader threads as it is
     * printed; the captured output is still cut at the request's limit.
     */
    @Override
    public CommandResult run(final CommandRequest request, final OutputLines lines) {
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
        LineSplitter outLines = lines == null ? null : new LineSplitter(false, lines, masker);
        LineSplitter errLines = lines == null ? null : new LineSplitter(true, lines, masker);
        Drain out = request.stdoutFile() == null
                ? Drain.start(process.getInputStream(), request.outputLimit(), outLines) : null;
        Drain err = Drain.start(process.getErrorStream(), request.outputLimit(), errLines);
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
        private final LineSplitter lines;
        private boolean truncated;

        private Drain(final InputStream stream, final int limit, final LineSplitter lines) {
            this.reader = new InputStreamReader(stream, StandardCharsets.UTF_8);
            this.limit = limit;
            this.lines = lines;
            this.thread = new Thread(this, "rollback-guard-drain");
            thread.setDaemon(true);
        }

        static Drain start(final InputStream stream, final int limit, final LineSplitter lines) {
            Drain drain = new Drain(stream, limit, lines);
            drain.thread.start();
            return drain;
        }

        @Override
        public void run() {
            char[] buffer = new char[8192];
            try (reader) {
                int n;
                while ((n = reader.read(buffer)) >= 0) {
                    if (lines != null) {
                        lines.accept(buffer, n);
                    }
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
            finally {
                if (lines != null) {
                    lines.end();
                }
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

    /** Cuts one stream into lines (pieces of at most {@link OutputLines#MAX_LINE}) and hands them over masked. */
    static final class LineSplitter {
        private final boolean stderr;
        private final OutputLines lines;
        private final Masker masker;
        private final StringBuilder line = new StringBuilder();

        LineSplitter(final boolean stderr, final OutputLines lines, final Masker masker) {
            this.stderr = stderr;
            this.lines = lines;
            this.masker = masker;
        }

        void accept(final char[] chars, final int n) {
            for (int i = 0; i < n; i++) {
                char c = chars[i];
                if (c == '\n') {
                    emit();
                }
                else {
                    line.append(c);
                    if (line.length() >= OutputLines.MAX_LINE) {
                        emit();
                    }
                }
            }
        }

        void end() {
            if (!line.isEmpty()) {
                emit();
            }
        }

        private void emit() {
            int end = line.length();
            if (end > 0 && line.charAt(end - 1) == '\r') {
                end--;
            }
            String text = line.substring(0, end);
            line.setLength(0);
            try {
                lines.line(stderr, masker.mask(text));
            }
            catch (RuntimeException e) {
                // a receiver that fails (a closed console) must not stop the draining: the process would block
            }
        }
    }
}
