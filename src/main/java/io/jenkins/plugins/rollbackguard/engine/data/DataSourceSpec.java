package io.jenkins.plugins.rollbackguard.engine.data;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;

/**
 * Where the data head is read: the {@code database} part of a policy's {@code dataVersion}. The connection is
 * a PostgreSQL or MariaDB/MySQL backup of the same policy, so no second set of settings or secrets is needed.
 *
 * @param source
 *         {@code database} (read the migration tool's history table) or {@code query} (run {@code sql})
 * @param backup
 *         which backup's connection to use when the policy has several database backups: its index in
 *         {@code backups} (from 0) or its database name; null for the only one
 * @param tool
 *         {@code flyway}, {@code liquibase}, {@code golang-migrate}, {@code alembic} or {@code prisma}; null to find
 *         it automatically
 * @param table
 *         the history table, {@code schema.table} or {@code table}; null to find it automatically
 * @param lockTimeout
 *         how long a Liquibase DATABASECHANGELOGLOCK may be held before it counts as a half-applied migration;
 *         10m by default
 * @param sql
 *         for {@code source: query}: the SQL returning the head as one value
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSourceSpec(String source, String backup, String tool, String table, String lockTimeout, String sql)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** The tools whose history tables are known. */
    public static final List<String> TOOLS = List.of("flyway", "liquibase", "golang-migrate", "alembic", "prisma");

    /** Checks the values and fills the defaults. */
    public DataSourceSpec {
        source = source == null ? "database" : source.strip().toLowerCase(Locale.ROOT);
        if (!source.equals("database") && !source.equals("query")) {
            throw new IllegalArgumentException(("dataVersion.source: '%s' is not known; use 'database' (the migration "
                    + "tool's history table) or 'query' (with 'sql')").formatted(source));
        }
        backup = blankToNull(backup);
        tool = blankToNull(tool) == null ? null : tool.strip().toLowerCase(Locale.ROOT);
        if (tool != null && !TOOLS.contains(tool)) {
            throw new IllegalArgumentException("dataVersion.tool: '%s' is not known; use one of %s or leave it out"
                    .formatted(tool, String.join(", ", TOOLS)));
        }
        table = blankToNull(table);
        if (table != null && !table.matches("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?")) {
            throw new IllegalArgumentException(("dataVersion.table: '%s' is not a table name; give 'schema.table' or "
                    + "'table' (letters, digits, '_')").formatted(table));
        }
        lockTimeout = blankToNull(lockTimeout) == null ? "10m" : lockTimeout.strip();
        Durations.parse("dataVersion.lockTimeout", lockTimeout);
        sql = blankToNull(sql);
        if (source.equals("query") && sql == null) {
            throw new IllegalArgumentException("dataVersion.sql: is required with 'source: query'; give the SQL that "
                    + "returns the data version as one value");
        }
        if (source.equals("database") && sql != null) {
            throw new IllegalArgumentException("dataVersion.sql: is only read with 'source: query'; remove it or set "
                    + "'source: query'");
        }
    }

    /**
     * Returns the spec of the default database source: the history table found automatically.
     *
     * @return the spec
     */
    public static DataSourceSpec database() {
        return new DataSourceSpec("database", null, null, null, null, null);
    }

    /**
     * Returns a query source.
     *
     * @param sql
     *         the SQL returning one value
     * @return the spec
     */
    public static DataSourceSpec query(final String sql) {
        return new DataSourceSpec("query", null, null, null, null, sql);
    }

    /** @return the lock timeout as a duration */
    public Duration lockTimeoutDuration() {
        return Durations.parse("dataVersion.lockTimeout", lockTimeout);
    }

    private static String blankToNull(final String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
