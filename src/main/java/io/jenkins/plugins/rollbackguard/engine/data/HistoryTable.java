package io.jenkins.plugins.rollbackguard.engine.data;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A migration history table found in the database, with its real column names.
 *
 * @param schema
 *         its schema (the database on MySQL)
 * @param name
 *         its name as the catalogue spells it
 * @param tool
 *         the tool its columns belong to
 * @param columns
 *         lower-cased column name to the name as spelt
 */
record HistoryTable(String schema, String name, String tool, Map<String, String> columns) {
    /** The columns by which each tool's table is recognised. */
    static final Map<String, Set<String>> SIGNATURES = Map.of(
            "flyway", Set.of("installed_rank", "version", "script", "success"),
            "liquibase", Set.of("id", "author", "filename", "orderexecuted"),
            "golang-migrate", Set.of("version", "dirty"),
            "alembic", Set.of("version_num"),
            "prisma", Set.of("migration_name", "finished_at"));

    /** The tables each tool creates by default (lower case). */
    static final Map<String, String> DEFAULT_NAMES = Map.of(
            "flyway_schema_history", "flyway",
            "databasechangelog", "liquibase",
            "schema_migrations", "golang-migrate",
            "alembic_version", "alembic",
            "_prisma_migrations", "prisma");

    /** @return "schema.table" */
    String qualified() {
        return schema + "." + name;
    }

    /** @return the column as spelt, or null if the table has none of that name */
    String column(final String lower) {
        return columns.get(lower.toLowerCase(Locale.ROOT));
    }

    /**
     * Returns the tool whose signature columns a table has.
     *
     * @param columns
     *         its lower-cased column names
     * @param preferred
     *         the tool its name suggests, tried first; may be null
     * @return the tool, or null if none fits
     */
    static String toolOf(final Set<String> columns, final String preferred) {
        if (preferred != null && columns.containsAll(SIGNATURES.get(preferred))) {
            return preferred;
        }
        for (String tool : DataSourceSpec.TOOLS) {
            if (columns.containsAll(SIGNATURES.get(tool))) {
                return tool;
            }
        }
        return null;
    }
}
