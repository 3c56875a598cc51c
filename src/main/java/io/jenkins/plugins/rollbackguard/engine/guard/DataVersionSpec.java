package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.jenkins.plugins.rollbackguard.engine.data.DataSourceSpec;

/**
 * The data version a deploy expects, and what a code rollback across a change of it may do (see docs/data.md).
 * Where the version comes from: a fixed value, a command whose trimmed standard output is the value, or the
 * database (source database, the default: the migration tool's history table, read through the connection of the
 * policy's PostgreSQL or MariaDB/MySQL backup; source query runs sql). A policy without this field but with a
 * database backup reads the database anyway.
 *
 * @param value
 *         a fixed value, or null
 * @param command
 *         a command printing the value, or null
 * @param source
 *         {@code database} or {@code query}; null for database unless value or command is given
 * @param backup
 *         which database backup's connection to read through (its index in {@code backups} or its database), when
 *         there are several
 * @param tool
 *         the migration tool ({@code flyway}, {@code liquibase}, ...), or null to find it
 * @param table
 *         the history table, or null to find it
 * @param lockTimeout
 *         how long a Liquibase lock may be held before it counts as a half-applied migration (default 10m)
 * @param sql
 *         with {@code source: query}: the SQL returning the head
 * @param compatible
 *         migrations declared backward compatible (expand): their ids, scripts or Liquibase names
 * @param undo
 *         the command that takes the database back to the rollback target's head, or null
 * @param businessTables
 *         tables whose rows written since a backup the data-loss window counts ({@code orders}, {@code payments})
 * @param migrations
 *         the directory of the Flyway scripts in the workspace, read at deploy time for the
 *         {@code -- rollback-guard: expand} marker; null for none
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DataVersionSpec(String value, List<String> command, String source, String backup, String tool,
                              String table, String lockTimeout, String sql, List<String> compatible, DataUndoSpec undo,
                              List<String> businessTables, String migrations) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Checks that at most one source is given and fills the lists. */
    public DataVersionSpec {
        boolean hasValue = value != null && !value.isBlank();
        boolean hasCommand = command != null && !command.isEmpty();
        boolean hasSource = source != null && !source.isBlank();
        if ((hasValue ? 1 : 0) + (hasCommand ? 1 : 0) + (hasSource ? 1 : 0) > 1) {
            throw new IllegalArgumentException("dataVersion: give one of 'value', 'command' or 'source', not "
                    + (hasValue && hasCommand ? "both 'value' and 'command'" : "'source' with 'value' or 'command'"));
        }
        if (value != null && !hasValue) {
            throw new IllegalArgumentException("dataVersion.value: is empty; give the version, or leave 'value' out to "
                    + "read it from the database");
        }
        command = command == null ? null : List.copyOf(command);
        if (hasValue || hasCommand) {
            String database = firstOf(backup, "backup", tool, "tool", table, "table", sql, "sql");
            if (database != null) {
                throw new IllegalArgumentException(("dataVersion.%s: is only read from the database; remove it, or "
                        + "remove '%s' to read the version from the database").formatted(database,
                        hasValue ? "value" : "command"));
            }
        }
        else {
            DataSourceSpec checked = new DataSourceSpec(source, backup, tool, table, lockTimeout, sql);
            source = checked.source();
        }
        compatible = names("compatible", compatible);
        businessTables = names("businessTables", businessTables);
        for (int i = 0; i < businessTables.size(); i++) {
            if (!businessTables.get(i).matches("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?")) {
                throw new IllegalArgumentException(("dataVersion.businessTables[%d]: '%s' is not a table name; give "
                        + "'table' or 'schema.table' (letters, digits, '_')").formatted(i, businessTables.get(i)));
            }
        }
        migrations = migrations == null || migrations.isBlank() ? null : migrations.strip();
    }

    /**
     * A fixed value or a command (the fields before the database source existed).
     *
     * @param value
     *         a fixed value, or null
     * @param command
     *         a command printing the value, or null
     */
    public DataVersionSpec(final String value, final List<String> command) {
        this(value, command, value == null && (command == null || command.isEmpty()) ? "database" : null, null, null,
                null, null, null, null, null, null, null);
    }

    /** @return the database source with everything found automatically: what a policy with a database backup reads */
    public static DataVersionSpec database() {
        return new DataVersionSpec(null, null, "database", null, null, null, null, null, null, null, null, null);
    }

    /** @return whether the version is read from the database (source database or query) */
    @JsonIgnore
    public boolean readsDatabase() {
        return (value == null || value.isBlank()) && (command == null || command.isEmpty());
    }

    /** @return the database part, for the reader; null for a value or a command */
    @JsonIgnore
    public DataSourceSpec dataSource() {
        return readsDatabase() ? new DataSourceSpec(source, backup, tool, table, lockTimeout, sql) : null;
    }

    /**
     * Tells whether the policy declares a migration backward compatible.
     *
     * @param names
     *         the migration's id, script and name
     * @return whether one of them is in {@code compatible} (ignoring case)
     */
    public boolean declaresCompatible(final String... names) {
        for (String name : names) {
            if (name != null && compatible.stream().anyMatch(c -> c.equalsIgnoreCase(name))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> names(final String field, final List<String> given) {
        if (given == null) {
            return List.of();
        }
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) == null || given.get(i).isBlank()) {
                throw new IllegalArgumentException("dataVersion.%s[%d]: is empty; give a name or remove the item"
                        .formatted(field, i));
            }
        }
        return given.stream().map(String::strip).toList();
    }

    private static String firstOf(final String... valueAndName) {
        for (int i = 0; i < valueAndName.length; i += 2) {
            if (valueAndName[i] != null && !valueAndName[i].isBlank()) {
                return valueAndName[i + 1];
            }
        }
        return null;
    }
}
