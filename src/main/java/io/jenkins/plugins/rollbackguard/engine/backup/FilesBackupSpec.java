package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serial;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Backs up a directory tree as a tar.gz archive with a sha256 manifest of every file. Symbolic links are kept
 * as links (never followed) and must stay inside the tree.
 *
 * @param path
 *         the absolute directory to back up
 * @param include
 *         glob patterns (relative to {@code path}) of the files to keep; empty means all
 * @param exclude
 *         glob patterns of files and directories to leave out; an excluded directory is left out whole
 * @param compressionLevel
 *         gzip level from 1 (fastest) to 9 (smallest); 6 by default, as {@code gzip}
 */
public record FilesBackupSpec(String path, List<String> include, List<String> exclude, Integer compressionLevel)
        implements BackupSpec {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Validates the values and fills the defaults. */
    public FilesBackupSpec {
        if (path == null || path.isBlank() || !isAbsolute(path)) {
            throw new IllegalArgumentException("path: must be an absolute directory, got '%s'".formatted(path));
        }
        include = checkGlobs("include", include);
        exclude = checkGlobs("exclude", exclude);
        compressionLevel = SpecChecks.positive("compressionLevel", compressionLevel, 6, 9);
    }

    /**
     * Creates a spec for a whole directory.
     *
     * @param path
     *         the absolute directory
     * @return the spec
     */
    public static FilesBackupSpec of(final Path path) {
        return new FilesBackupSpec(path.toString(), List.of(), List.of(), null);
    }

    @Override
    public BackupKind kind() {
        return BackupKind.FILES;
    }

    @Override
    public String describe() {
        return "files " + path + (include.isEmpty() ? "" : " include " + include)
                + (exclude.isEmpty() ? "" : " exclude " + exclude);
    }

    private static boolean isAbsolute(final String path) {
        try {
            return Path.of(path).isAbsolute();
        }
        catch (InvalidPathException e) {
            return false;
        }
    }

    private static List<String> checkGlobs(final String field, final List<String> globs) {
        List<String> copy = globs == null ? List.of() : List.copyOf(globs);
        for (String glob : copy) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + glob);
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("%s: not a valid glob pattern: '%s'".formatted(field, glob), e);
            }
        }
        return copy;
    }
}
