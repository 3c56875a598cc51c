package io.jenkins.plugins.rollbackguard.engine.backup;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a backup holds; the lower-case name is the {@code type} of a {@link BackupSpec} in a policy file. */
public enum BackupKind {
    /** A tree of files and directories, archived as tar.gz. */
    FILES,
    /** A PostgreSQL database, dumped with {@code pg_dump -Fc}. */
    POSTGRES,
    /** A MariaDB or MySQL database, dumped as SQL. */
    MYSQL,
    /** Whatever file a user's command writes. */
    COMMAND;

    /** @return the name used in policy files and manifests */
    @JsonValue
    public String typeName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
