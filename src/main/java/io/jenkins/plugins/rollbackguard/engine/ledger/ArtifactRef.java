package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;
import java.io.Serializable;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One artifact of a rollback point, identified by its content hash.
 *
 * @param name
 *         the artifact's name or relative path
 * @param sha256
 *         its SHA-256 in lower-case hex
 * @param size
 *         its size in bytes
 * @param location
 *         where a host keeps it (an artifact store key, an archived path), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactRef(String name, String sha256, long size, String location) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Checks the values. */
    public ArtifactRef {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("artifact.name: required");
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("artifact.sha256: '%s' is not 64 lower-case hex digits".formatted(sha256));
        }
        if (size < 0) {
            throw new IllegalArgumentException("artifact.size: must not be negative, got " + size);
        }
    }
}
