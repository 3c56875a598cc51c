package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Names the process that deploys and watches a point ({@code pid:startMillis@host}), and tells whether
 * such a process still lives, so that a point whose watcher died can be marked INTERRUPTED.
 */
final class Owners {
    private static final String HOST = hostName();

    private Owners() {
    }

    /** @return the owner string of this JVM */
    static String current() {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return self.pid() + ":" + start + "@" + HOST;
    }

    /**
     * Tells whether an owner is known to be dead: it ran on this host and its process is gone or was
     * replaced by another with the same pid. Owners on other hosts are never declared dead.
     *
     * @param owner
     *         an owner string
     * @return whether it is certainly gone
     */
    static boolean isDead(final String owner) {
        if (owner == null) {
            return false;
        }
        int colon = owner.indexOf(':');
        int at = owner.lastIndexOf('@');
        if (colon < 0 || at < colon || !owner.substring(at + 1).equals(HOST)) {
            return false;
        }
        try {
            long pid = Long.parseLong(owner.substring(0, colon));
            long start = Long.parseLong(owner.substring(colon + 1, at));
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !handle.get().isAlive()) {
                return true;
            }
            Optional<Instant> started = handle.get().info().startInstant();
            // Start times are rounded differently by different reads; a second apart means another process.
            return start > 0 && started.isPresent() && Math.abs(started.get().toEpochMilli() - start) > 1000;
        }
        catch (NumberFormatException e) {
            return false;
        }
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
