package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * The result of checking a backup.
 *
 * @param ok
 *         whether the backup is intact and readable
 * @param at
 *         when it was checked
 * @param detail
 *         one line: what was checked, or what is wrong
 */
public record Verification(boolean ok, Instant at, String detail) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Checks the values. */
    public Verification {
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
    }
}
