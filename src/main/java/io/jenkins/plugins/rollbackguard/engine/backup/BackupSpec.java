package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serializable;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What to back up: one of the four kinds, selected in a policy file by its {@code type} property. Specs are
 * immutable and serialisable (they travel to Jenkins agents) and hold secrets only by name; the secrets are
 * looked up through the {@link io.jenkins.plugins.rollbackguard.engine.spi.SecretSource} of the run. Read one from
 * YAML or JSON with {@link BackupSpecReader}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = FilesBackupSpec.class, name = "files"),
        @JsonSubTypes.Type(value = PostgresBackupSpec.class, name = "postgres"),
        @JsonSubTypes.Type(value = MysqlBackupSpec.class, name = "mysql"),
        @JsonSubTypes.Type(value = CommandBackupSpec.class, name = "command")})
public sealed interface BackupSpec extends Serializable
        permits FilesBackupSpec, PostgresBackupSpec, MysqlBackupSpec, CommandBackupSpec {
    /** @return the kind of backup */
    BackupKind kind();

    /** @return a one-line description of the source, without any secret */
    String describe();
}
