package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * The outcome of restoring a backup into scratch space and comparing checksums.
 *
 * @param ok
 *         whether the restore succeeded and every compared checksum matched
 * @param compared
 *         how many files or tables were compared
 * @param mismatches
 *         what differed: file paths or table names with both hashes
 * @param detail
 *         one line for the build log
 */
public record RestoreTestResult(boolean ok, int compared, List<String> mismatches, String detail)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Copies the values. */
    public RestoreTestResult {
        mismatches = List.copyOf(mismatches == null ? List.of() : mismatches);
        detail = detail == null ? "" : detail;
    }
}
