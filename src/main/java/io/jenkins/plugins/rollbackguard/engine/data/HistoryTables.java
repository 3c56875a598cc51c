package io.jenkins.plugins.rollbackguard.engine.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the migration history table: the one the policy names, or the one table of a known tool in the database
 * (any schema on PostgreSQL, the backup's database on MySQL, where another database is another application).
 */
final class HistoryTables {
    private static final String ANY_SCHEMA = "table_schema NOT IN ('pg_catalog', 'information_schema')";
    private static final String THIS_DATABASE = "table_schema = DATABASE()";

    private HistoryTables() {
        // static helpers only
    }

    /**
     * Finds the table to read.
     *
     * @return the table, or empty when the database holds no migration history
     * @throws DataHeadException
     *         if the named table is missing or unknown, or several tables are found and the policy picks none
     */
    static Optional<HistoryTable> find(final SqlSession session, final DataSourceSpec spec) {
        if (spec.table() != null) {
            return Optional.of(named(session, spec));
        }
        List<HistoryTable> found = catalogue(session, null).stream()
                .filter(table -> table.tool() != null && (spec.tool() == null || spec.tool().equals(table.tool())))
                .toList();
        if (found.size() > 1) {
            throw new DataHeadException(("dataVersion: found %d migration history tables in %s: %s; pick one in the "
                    + "policy, for example dataVersion: {source: database, table: %s}").formatted(found.size(),
                    session.where(), found.stream().map(t -> t.qualified() + " (" + t.tool() + ")")
                            .collect(Collectors.joining(", ")), found.get(0).qualified()));
        }
        return found.stream().findFirst();
    }

    private static HistoryTable named(final SqlSession session, final DataSourceSpec spec) {
        List<HistoryTable> matching = catalogue(session, spec.table());
        if (matching.isEmpty()) {
            throw new DataHeadException(("dataVersion.table: '%s' was not found in %s; give the migration history "
                    + "table as schema.table, or leave 'table' out to find it automatically")
                    .formatted(spec.table(), session.where()));
        }
        if (matching.size() > 1) {
            throw new DataHeadException("dataVersion.table: '%s' matches %s in %s; give it as schema.table"
                    .formatted(spec.table(), matching.stream().map(HistoryTable::qualified)
                            .collect(Collectors.joining(", ")), session.where()));
        }
        HistoryTable table = matching.get(0);
        String tool = spec.tool() != null ? spec.tool() : table.tool();
        if (tool == null || !table.columns().keySet().containsAll(HistoryTable.SIGNATURES.get(tool))) {
            throw new DataHeadException(("dataVersion.table: %s has the columns of no known migration tool%s; give "
                    + "'tool' (one of %s) for a renamed table, or use source: query")
                    .formatted(table.qualified(), spec.tool() == null ? "" : " (not those of " + spec.tool() + ")",
                            String.join(", ", DataSourceSpec.TOOLS)));
        }
        return new HistoryTable(table.schema(), table.name(), tool, table.columns());
    }

    /**
     * Lists the candidate tables with their columns: those with a tool's default name, or the one named.
     *
     * @param named
     *         "schema.table" or "table", or null for the tools' default names
     */
    private static List<HistoryTable> catalogue(final SqlSession session, final String named) {
        String output = session.run(("SELECT table_schema, table_name, column_name FROM information_schema.columns "
                + "WHERE %s ORDER BY table_schema, table_name, ordinal_position").formatted(filter(session, named)));
        Map<List<String>, Map<String, String>> columns = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.split("\t");
            if (parts.length == 3) {
                columns.computeIfAbsent(List.of(parts[0], parts[1]), k -> new LinkedHashMap<>())
                        .put(parts[2].strip().toLowerCase(Locale.ROOT), parts[2].strip());
            }
        }
        List<HistoryTable> tables = new ArrayList<>();
        columns.forEach((name, cols) -> tables.add(new HistoryTable(name.get(0), name.get(1),
                HistoryTable.toolOf(cols.keySet(), HistoryTable.DEFAULT_NAMES.get(name.get(1).toLowerCase(Locale.ROOT))),
                Map.copyOf(cols))));
        return tables;
    }

    /** The WHERE clause: the schemas searched (any on PostgreSQL, the backup's database on MySQL) and the names. */
    private static String filter(final SqlSession session, final String named) {
        if (named == null) {
            return (session.postgres() ? ANY_SCHEMA : THIS_DATABASE) + " AND lower(table_name) IN ("
                    + HistoryTable.DEFAULT_NAMES.keySet().stream().sorted().map(session::literal)
                    .collect(Collectors.joining(", ")) + ")";
        }
        int dot = named.indexOf('.');
        String table = "lower(table_name) = " + session.literal(named.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (dot < 0) {
            return (session.postgres() ? ANY_SCHEMA : THIS_DATABASE) + " AND " + table;
        }
        // a schema named explicitly may, on MySQL, be another database of the server
        return "lower(table_schema) = " + session.literal(named.substring(0, dot).toLowerCase(Locale.ROOT))
                + " AND " + table;
    }
}
