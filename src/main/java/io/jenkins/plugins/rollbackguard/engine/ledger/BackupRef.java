package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A backup that protects a rollback point, as the ledger remembers it: enough to show the data-loss
 * window and to keep the backup from being pruned. The backup store holds the full manifest.
 *
 * @param id
 *         the backup's id in the backup store
 * @param kind
 *         files, postgres, mysql or command
 * @param sha256
 *         the backup's own hash
 * @param size
 *         its size in bytes
 * @param takenAt
 *         when the backup started: data written after this is lost by a restore
 * @param verifiedAt
 *         when it was last verified, or null if never
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupRef(String id, String kind, String sha256, long size, Instant takenAt, Instant verifiedAt)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Checks the values. */
    public BackupRef {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("backup.id: required");
        }
        if (takenAt == null) {
            throw new IllegalArgumentException("backup.takenAt: required for backup " + id);
        }
    }
}
