package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the store knows about one committed backup; kept as {@code manifest.json} beside the payload. The
 * {@link #startedAt()} time bounds the data-loss window of a rollback to this backup.
 *
 * @param id
 *         the backup's id, unique in the store and sortable by time
 * @param environment
 *         the environment it belongs to
 * @param kind
 *         what it holds
 * @param source
 *         a description of the source without secrets
 * @param spec
 *         the spec it was taken with (holds secret names only), used to restore
 * @param payload
 *         the file name of the archive or dump inside the backup's directory
 * @param size
 *         the payload's size in bytes
 * @param sha256
 *         the payload's sha256, hex
 * @param startedAt
 *         when the backup started: data written later is not in it
 * @param duration
 *         how long taking it took (verification excluded)
 * @param verification
 *         the latest verification
 * @param fileManifest
 *         the file name of the per-file sha256 manifest (files kind), or null
 * @param tableChecksums
 *         hash of each table's ordered contents (databases, when asked for), by qualified table name
 * @param label
 *         a caller's label, such as the rollback point id; may be empty
 */
public record BackupManifest(String id, String environment, BackupKind kind, String source, BackupSpec spec,
                             String payload, long size, String sha256, Instant startedAt, Duration duration,
                             Verification verification, String fileManifest, Map<String, String> tableChecksums,
                             String label) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Checks and copies the values. */
    public BackupManifest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(verification, "verification");
        tableChecksums = Map.copyOf(tableChecksums == null ? Map.of() : tableChecksums);
        label = label == null ? "" : label;
    }

    /** @return whether the latest verification passed */
    public boolean usable() {
        return verification.ok();
    }

    /**
     * Returns a copy with another verification.
     *
     * @param latest
     *         the new verification
     * @return the copy
     */
    public BackupManifest withVerification(final Verification latest) {
        return new BackupManifest(id, environment, kind, source, spec, payload, size, sha256, startedAt, duration,
                latest, fileManifest, tableChecksums, label);
    }

    /**
     * Returns this manifest with another spec: where and how a restore over the original source goes, taken from
     * the policy.
     *
     * @param policy
     *         the policy's spec of the same source
     * @return a copy
     */
    public BackupManifest withSpec(final BackupSpec policy) {
        return new BackupManifest(id, environment, kind, source, policy, payload, size, sha256, startedAt, duration,
                verification, fileManifest, tableChecksums, label);
    }
}
