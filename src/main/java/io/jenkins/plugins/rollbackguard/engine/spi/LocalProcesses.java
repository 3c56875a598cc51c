package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Processes of this host, named so that another process can later tell whether they are gone: host name, pid and
 * start time (a pid alone can be reused). Used by the ledger's in-flight point owners and by environment leases.
 */
public final class LocalProcesses {
    /** This host's name, as owners record it. */
    public static final String HOST = hostName();

    private LocalProcesses() {
    }

    /** @return the start time of this process in epoch milliseconds, or 0 when the system does not tell */
    public static long currentStartMillis() {
        return ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Tells whether a process of this host is certainly gone: no process has its pid, or the one that has was
     * started at another time (the pid was reused).
     *
     * @param pid
     *         the recorded pid
     * @param startMillis
     *         the recorded start time in epoch milliseconds, 0 if unknown
     * @return whether it is gone
     */
    public static boolean isGone(final long pid, final long startMillis) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        Optional<Instant> started = handle.get().info().startInstant();
        // Start times are rounded differently by different reads; a second apart means another process.
        return startMillis > 0 && started.isPresent() && Math.abs(started.get().toEpochMilli() - startMillis) > 1000;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return Files.readString(Path.of("/etc/hostname")).strip();
        }
        catch (IOException | SecurityException e) {
            return "localhost";
        }
    }
}
