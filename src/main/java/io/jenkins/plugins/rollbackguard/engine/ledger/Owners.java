package io.jenkins.plugins.rollbackguard.engine.ledger;

import io.jenkins.plugins.rollbackguard.engine.spi.LocalProcesses;

/**
 * Names the process that deploys and watches a point ({@code pid:startMillis@host}), and tells whether
 * such a process still lives, so that a point whose watcher died can be marked INTERRUPTED.
 */
final class Owners {
    private static final String HOST = LocalProcesses.HOST;

    private Owners() {
    }

    /** @return the owner string of this JVM */
    static String current() {
        return ProcessHandle.current().pid() + ":" + LocalProcesses.currentStartMillis() + "@" + HOST;
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
            return LocalProcesses.isGone(Long.parseLong(owner.substring(0, colon)),
                    Long.parseLong(owner.substring(colon + 1, at)));
        }
        catch (NumberFormatException e) {
            return false;
        }
    }

}
