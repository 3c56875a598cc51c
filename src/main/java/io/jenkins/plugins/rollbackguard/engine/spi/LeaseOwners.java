package io.jenkins.plugins.rollbackguard.engine.spi;

import java.util.Objects;

/**
 * Who a host takes environment leases as, and how it tells whether another lease owner is gone.
 *
 * @param self
 *         the owner name of this host's run: {@code cli:<host>:<pid>:<start millis>} or {@code jenkins:<job#build>}
 * @param liveness
 *         tells whether a recorded owner is certainly gone
 */
public record LeaseOwners(String self, OwnerLiveness liveness) {
    /** Prefix of the owners of command-line runs. */
    public static final String CLI = "cli:";
    /** Prefix of the owners of Jenkins builds. */
    public static final String JENKINS = "jenkins:";

    private static final String HOST = LocalProcesses.HOST;

    /**
     * Checks the parts.
     *
     * @param self
     *         the owner name
     * @param liveness
     *         the liveness
     */
    public LeaseOwners {
        if (self == null || self.isBlank()) {
            throw new IllegalArgumentException("lease owner: an owner name is required, e.g. cli:<host>:<pid>:<start>");
        }
        Objects.requireNonNull(liveness, "liveness");
    }

    /**
     * The owners of a command-line process: this process by host, pid and start time. A {@code cli:} owner on this
     * host is dead when no process with its pid and start time runs; owners on other hosts and Jenkins builds are
     * never declared dead from here.
     *
     * @return the owners of this process
     */
    public static LeaseOwners process() {
        return new LeaseOwners(CLI + HOST + ":" + ProcessHandle.current().pid() + ":" + LocalProcesses.currentStartMillis(),
                LeaseOwners::isDeadProcess);
    }

    /**
     * The owner name of a Jenkins build.
     *
     * @param externalizableId
     *         the build's {@code job#build} id
     * @return {@code jenkins:<job#build>}
     */
    public static String jenkins(final String externalizableId) {
        return JENKINS + externalizableId;
    }

    /**
     * Tells whether a {@code cli:} owner of this host is gone: no process has its pid, or the one that has was
     * started at another time (the pid was reused).
     *
     * @param owner
     *         a recorded owner
     * @return whether it is certainly gone
     */
    public static boolean isDeadProcess(final String owner) {
        if (owner == null || !owner.startsWith(CLI)) {
            return false;
        }
        int startColon = owner.lastIndexOf(':');
        int pidColon = owner.lastIndexOf(':', startColon - 1);
        if (pidColon <= CLI.length() || !owner.substring(CLI.length(), pidColon).equals(HOST)) {
            return false;
        }
        try {
            return LocalProcesses.isGone(Long.parseLong(owner.substring(pidColon + 1, startColon)),
                    Long.parseLong(owner.substring(startColon + 1)));
        }
        catch (NumberFormatException e) {
            return false;
        }
    }

}
