package io.jenkins.plugins.rollbackguard.engine.data;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.MysqlClient;
import io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.PostgresClient;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandException;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;

/**
 * SQL on one backup's database through its client tool (psql, or the mariadb/mysql client), with the backup's
 * secrets and the runner of the machine where the backups run. Rows come back as one JSON array built by the
 * server, so that no value can break the parsing; a failure becomes a {@link DataHeadException} with the
 * client's masked error line.
 */
final class SqlSession implements AutoCloseable {
    /** A head read takes seconds; a backup's hour-long timeout would hold a deploy far too long. */
    private static final int TIMEOUT_SECONDS = 120;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final boolean postgres;
    private final String database;
    private final String where;
    private final BackupContext ctx;
    private final PostgresClient pg;
    private final MysqlClient mysql;
    private final String mysqlProgram;

    private SqlSession(final BackupSpec spec, final BackupContext ctx, final PostgresClient pg,
                       final MysqlClient mysql, final String database, final String mysqlProgram) {
        this.postgres = pg != null;
        this.database = database;
        this.where = spec.describe();
        this.ctx = ctx;
        this.pg = pg;
        this.mysql = mysql;
        this.mysqlProgram = mysqlProgram;
    }

    static SqlSession open(final BackupSpec spec, final BackupContext ctx) {
        if (spec instanceof PostgresBackupSpec p) {
            PostgresBackupSpec quick = new PostgresBackupSpec(p.host(), p.port(), p.database(), p.user(),
                    p.passwordSecret(), p.binDir(), Math.min(p.timeoutSeconds(), TIMEOUT_SECONDS), false);
            return new SqlSession(spec, ctx, new PostgresClient(quick, ctx), null, p.database(), null);
        }
        if (spec instanceof MysqlBackupSpec m) {
            MysqlBackupSpec quick = new MysqlBackupSpec(m.host(), m.port(), m.database(), m.user(),
                    m.passwordSecret(), m.dumpProgram(), m.clientProgram(), Math.min(m.timeoutSeconds(),
                    TIMEOUT_SECONDS), false);
            try {
                return new SqlSession(spec, ctx, null, new MysqlClient(quick, ctx), m.database(), m.clientProgram());
            }
            catch (IOException e) {
                throw new DataHeadException("Cannot write the client's private settings file for %s: %s"
                        .formatted(spec.describe(), e.getMessage()), e);
            }
            catch (IllegalArgumentException e) { // the password secret is missing: the message names it
                throw new DataHeadException(e.getMessage(), e);
            }
        }
        throw new DataHeadException(("dataVersion.backup: the %s backup has no database connection; the data head is "
                + "read through a postgres or mysql backup").formatted(spec.kind().name().toLowerCase(java.util.Locale.ROOT)));
    }

    boolean postgres() {
        return postgres;
    }

    String database() {
        return database;
    }

    /** @return the connection, without secrets, for messages */
    String where() {
        return where;
    }

    /**
     * Runs SQL and returns its output: psql unaligned and tuples only, the MySQL client in raw batch mode; columns
     * are separated by a tab.
     */
    String run(final String sql) {
        CommandRequest request;
        try {
            request = postgres
                    ? pg.request("psql", database, List.of("-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                            "-c", sql))
                    : mysql.request(mysqlProgram, List.of("-N", "-B", "-r", "-e", sql, database));
        }
        catch (IllegalArgumentException e) { // the password secret is missing: the message names it, not its value
            throw new DataHeadException(e.getMessage(), e);
        }
        String program = postgres ? "psql" : mysqlProgram;
        CommandResult result;
        try {
            result = ctx.runner().run(request);
        }
        catch (CommandException e) {
            throw new DataHeadException("Cannot run %s for %s: %s".formatted(program, where, e.getMessage()), e);
        }
        if (!result.succeeded()) {
            throw new DataHeadException("%s on %s failed (%s)".formatted(program, where, error(result)));
        }
        return result.stdout();
    }

    /** @return the client's error line (psql prints the statement and a caret after it), else the summary */
    static String error(final CommandResult result) {
        if (result.timedOut()) {
            return result.summary();
        }
        String stderr = result.stderr() == null ? "" : result.stderr();
        return stderr.lines().map(String::strip).filter(line -> line.contains("ERROR") || line.startsWith("psql:"))
                .findFirst().map(line -> "exit code %d: %s".formatted(result.exitCode(), line))
                .orElseGet(result::summary);
    }

    /** @return a quoted identifier */
    String quote(final String identifier) {
        return postgres ? '"' + identifier.replace("\"", "\"\"") + '"'
                : '`' + identifier.replace("`", "``") + '`';
    }

    /** @return a quoted string literal (MySQL also treats a backslash as an escape) */
    String literal(final String text) {
        String escaped = postgres ? text : text.replace("\\", "\\\\");
        return "'" + escaped.replace("'", "''") + "'";
    }

    /** @return an expression that is true/1 when a boolean-like column (boolean, tinyint, bit) is set */
    String truth(final String column) {
        return postgres ? quote(column) : "(" + quote(column) + " <> 0)";
    }

    /**
     * Reads rows as JSON objects.
     *
     * @param from
     *         the quoted, qualified table and any WHERE clause
     * @param fields
     *         JSON key to SQL expression, in order; a null expression gives null
     * @param orderBy
     *         the ORDER BY expressions, or empty
     * @return the rows in order
     */
    List<JsonNode> rows(final String from, final Map<String, String> fields, final String orderBy) {
        List<String> pairs = new ArrayList<>();
        fields.forEach((key, expr) -> pairs.add(literal(key) + ", " + (expr == null ? "NULL" : expr)));
        String order = orderBy.isEmpty() ? "" : " ORDER BY " + orderBy;
        String sql = postgres
                ? "SELECT coalesce(json_agg(json_build_object(%s)%s), '[]'::json) FROM %s"
                        .formatted(String.join(", ", pairs), order, from)
                // GROUP_CONCAT, not JSON_ARRAYAGG: MySQL's JSON_ARRAYAGG takes no ORDER BY (MariaDB's does)
                : ("SET SESSION group_concat_max_len = 4294967295; "
                        + "SELECT COALESCE(CONCAT('[', GROUP_CONCAT(JSON_OBJECT(%s)%s SEPARATOR ','), ']'), '[]') FROM %s")
                        .formatted(String.join(", ", pairs), order, from);
        String output = run(sql).strip();
        try {
            JsonNode array = MAPPER.readTree(output.isEmpty() ? "[]" : output);
            List<JsonNode> rows = new ArrayList<>();
            array.forEach(rows::add);
            return rows;
        }
        catch (JsonProcessingException e) {
            throw new DataHeadException("The rows read from %s on %s are not the JSON expected (%s)"
                    .formatted(from, where, e.getOriginalMessage()), e);
        }
    }

    /** @return the text of a field, or null for a missing or null one */
    static String text(final JsonNode row, final String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** @return a boolean-like field (true, 1, "t", "true", "1") */
    static boolean truthy(final JsonNode row, final String field) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            return value.asInt() != 0;
        }
        String text = value.asText().strip().toLowerCase(java.util.Locale.ROOT);
        return text.equals("t") || text.equals("true") || text.equals("1") || text.equals("\u0001");
    }

    /** @return the duration a number of seconds stands for */
    static Duration seconds(final JsonNode row, final String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? Duration.ZERO : Duration.ofMillis((long) (value.asDouble() * 1000));
    }

    @Override
    public void close() {
        if (mysql != null) {
            mysql.close();
        }
    }
}
