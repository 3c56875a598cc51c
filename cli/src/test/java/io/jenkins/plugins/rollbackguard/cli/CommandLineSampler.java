package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the command line of every process on the machine ({@code /proc/PID/cmdline}) every few milliseconds while
 * it runs, and keeps each distinct one seen: a secret passed as an argument is visible there to every user.
 */
final class CommandLineSampler implements AutoCloseable {
    private static final long PAUSE_MILLIS = 10;

    private final Map<String, String> seen = new LinkedHashMap<>(); // "pid command line" -> command line; guarded by this
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long rounds;

    CommandLineSampler() {
        thread = new Thread(this::loop, "cmdline-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            sampleOnce();
            rounds++;
            try {
                Thread.sleep(PAUSE_MILLIS);
            }
            catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads every process's command line once. */
    void sampleOnce() {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
                    if (raw.length > 0) {
                        String line = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
                        synchronized (this) {
                            seen.putIfAbsent(proc.getFileName() + " " + line, line);
                        }
                    }
                }
                catch (IOException e) {
                    // the process ended between the listing and the read
                }
            }
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
    }

    /** @return each distinct (process, command line) seen so far */
    synchronized Map<String, String> seen() {
        return Map.copyOf(seen);
    }

    /**
     * Tells whether some process had a command line containing a text.
     *
     * @param text
     *         e.g. {@code mariadb-dump}
     * @return whether one was seen
     */
    synchronized boolean saw(final String text) {
        return seen.values().stream().anyMatch(line -> line.contains(text));
    }

    /** @return how many times every process was read */
    long rounds() {
        return rounds;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(5000);
        sampleOnce();
    }
}
