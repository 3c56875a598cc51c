package io.jenkins.plugins.rollbackguard.engine.backup;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which entries of a tree a files backup holds: the one rule for {@code include} and {@code exclude}, used by the
 * backup ({@link FileTreeScanner}) and by the in-place restore, which keeps what the backup left out. An excluded
 * directory is left out whole; {@code include}, when given, selects files and links (directories are always kept,
 * so that the included files have their parents). The restore's own bookkeeping entries at the top of a tree
 * ({@link #isReserved}) are never part of a backup.
 */
final class PathSelection {
    /** The in-place restore's entries inside a target that is a mount point: its record, prepared and replaced trees. */
    private static final Pattern RESERVED = Pattern.compile(
            "\\.rg-restore\\.json(\\.tmp)?|\\.rg-(restore|replaced)-\\d{8}T\\d{6}Z-[0-9a-f]{8}");

    private final List<PathMatcher> include;
    private final List<PathMatcher> exclude;

    private PathSelection(final List<String> include, final List<String> exclude) {
        this.include = matchers(include);
        this.exclude = matchers(exclude);
    }

    static PathSelection of(final List<String> include, final List<String> exclude) {
        return new PathSelection(include, exclude);
    }

    static PathSelection of(final FilesBackupSpec spec) {
        return new PathSelection(spec.include(), spec.exclude());
    }

    private static List<PathMatcher> matchers(final List<String> globs) {
        return globs.stream().map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
    }

    /** @return whether a directory (relative to the tree's root) is left out, with everything below it */
    boolean leavesOutDirectory(final Path relative) {
        return isReserved(relative) || matches(exclude, relative);
    }

    /** @return whether a file, link or other non-directory (relative to the tree's root) is left out */
    boolean leavesOutFile(final Path relative) {
        return isReserved(relative) || matches(exclude, relative) || !include.isEmpty() && !matches(include, relative);
    }

    /** @return whether a relative path is one of the in-place restore's own top-level entries */
    static boolean isReserved(final Path relative) {
        return relative.getNameCount() == 1 && RESERVED.matcher(relative.toString()).matches();
    }

    /** @return whether a top-level name is one of the in-place restore's own entries */
    static boolean isReserved(final String name) {
        return RESERVED.matcher(name).matches();
    }

    private static boolean matches(final List<PathMatcher> matchers, final Path relative) {
        return matchers.stream().anyMatch(m -> m.matches(relative));
    }
}
