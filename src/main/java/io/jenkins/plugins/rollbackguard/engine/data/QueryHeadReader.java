package io.jenkins.plugins.rollbackguard.engine.data;

import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;

/** The {@code query} source: SQL whose one value, trimmed, is the head. */
final class QueryHeadReader implements DataHeadReader {
    private final DataSourceSpec spec;
    private final BackupSpec connection;
    private final BackupContext ctx;

    QueryHeadReader(final DataSourceSpec spec, final BackupSpec connection, final BackupContext ctx) {
        this.spec = spec;
        this.connection = connection;
        this.ctx = ctx;
    }

    @Override
    public DataHead read() {
        String output;
        try (SqlSession session = SqlSession.open(connection, ctx)) {
            output = session.run(spec.sql());
            if (!session.postgres() && output.strip().equals("NULL")) {
                output = ""; // the MySQL client prints a NULL as NULL, psql as nothing
            }
        }
        catch (DataHeadException e) {
            throw new DataHeadException("dataVersion.sql: the query failed: " + e.getMessage(), e);
        }
        return new DataHead("query", null, value(output, connection.describe()), List.of(), null,
                ctx.scheduler().now());
    }

    /** Returns the one value of the output, or fails with a sentence saying how many rows or columns came back. */
    static String value(final String output, final String where) {
        List<String> rows = output.lines().filter(line -> !line.isBlank()).toList();
        if (rows.isEmpty()) {
            throw new DataHeadException(("dataVersion.sql: the query returned no value on %s; make it return the data "
                    + "version as one row with one column").formatted(where));
        }
        if (rows.size() > 1) {
            throw new DataHeadException(("dataVersion.sql: the query returned %d rows on %s; make it return one value, "
                    + "for example with ORDER BY ... LIMIT 1").formatted(rows.size(), where));
        }
        String value = rows.get(0).strip();
        if (value.contains("\t")) {
            throw new DataHeadException(("dataVersion.sql: the query returned %d columns on %s; make it return one "
                    + "column").formatted(value.split("\t", -1).length, where));
        }
        return value;
    }
}
