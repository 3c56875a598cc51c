package io.jenkins.plugins.rollbackguard.engine.backup;

import java.nio.file.Path;

/** Checks that archive entry names and link targets stay inside the directory they are restored to. */
final class SafePaths {
    private SafePaths() {
        // static helpers only
    }

    /**
     * Checks an entry name: relative, no {@code ..} segment, not empty.
     *
     * @param name
     *         the entry name from the archive
     * @return whether it is safe to create below the target
     */
    static boolean entryIsSafe(final String name) {
        if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.contains("\0")
                || name.matches("^[A-Za-z]:.*")) {
            return false;
        }
        for (String segment : name.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks that a link, resolved from its own directory, stays inside the root.
     *
     * @param link
     *         the link's path relative to the root
     * @param target
     *         the link's target as stored
     * @return whether the target is relative and stays inside
     */
    static boolean linkStaysInside(final Path link, final String target) {
        if (target.isEmpty() || target.startsWith("/") || target.startsWith("\\") || target.contains("\0")) {
            return false;
        }
        Path parent = link.getParent() == null ? Path.of("") : link.getParent();
        Path resolved = parent.resolve(target).normalize();
        return !resolved.startsWith("..") && !resolved.isAbsolute();
    }
}
