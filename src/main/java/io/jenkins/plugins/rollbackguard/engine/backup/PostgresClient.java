package io.jenkins.plugins.rollbackguard.engine.backup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.Secret;

/**
 * Builds requests for pg_dump, pg_restore and psql. The password travels as {@code PGPASSWORD} in the secret
 * environment of the request (masked in any output), never as an argument; {@code -w} stops any prompt.
 */
public final class PostgresClient {
    private final PostgresBackupSpec spec;
    private final BackupContext ctx;

    /**
     * Creates a client for the spec's connection.
     *
     * @param spec
     *         the connection
     * @param ctx
     *         the secrets (the password is looked up by name) and the runner
     */
    public PostgresClient(final PostgresBackupSpec spec, final BackupContext ctx) {
        this.spec = spec;
        this.ctx = ctx;
    }

    /**
     * Builds a request for one of the client programs, connected to a database, the password in its secret environment.
     *
     * @param program
     *         pg_dump, pg_restore or psql
     * @param database
     *         the database
     * @param args
     *         the arguments after the connection options
     * @return the request
     */
    public CommandRequest request(final String program, final String database, final List<String> args) {
        List<String> command = new ArrayList<>(List.of(spec.program(program), "-h", spec.host(),
                "-p", String.valueOf(spec.port()), "-U", spec.user(), "-w", "-d", database));
        command.addAll(args);
        CommandRequest request = new CommandRequest(command, Map.of("PGCONNECT_TIMEOUT", "10"), Map.of(), null,
                Duration.ofSeconds(spec.timeoutSeconds()), null, CommandRequest.DEFAULT_OUTPUT_LIMIT);
        if (spec.passwordSecret() != null) {
            Secret password = ctx.secrets().require(spec.passwordSecret(), "passwordSecret");
            request = request.withSecretEnv("PGPASSWORD", password);
        }
        return request;
    }

    /**
     * Runs SQL with psql and returns its unaligned, tuples-only output (columns separated by a tab).
     *
     * @param database
     *         the database
     * @param sql
     *         the statements
     * @return the standard output
     * @throws BackupException
     *         if psql fails (the message holds its masked error output)
     */
    public String psql(final String database, final String sql) {
        return Processes.run(ctx, "psql on " + database,
                request("psql", database, List.of("-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                        "-c", sql))).stdout();
    }

    /** Hashes each user table's rows, sorted by row hash, in one round trip per step. */
    Map<String, String> tableChecksums(final String database) {
        String tables = psql(database, "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
                + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1");
        List<String> selects = new ArrayList<>();
        for (String table : tables.split("\n")) {
            if (!table.isBlank()) {
                selects.add("SELECT %s, (SELECT coalesce(md5(string_agg(h, '' ORDER BY h)), 'empty') FROM "
                        .formatted(literal(table.strip())) + "(SELECT md5(t::text) AS h FROM %s t) s)"
                        .formatted(table.strip()));
            }
        }
        return selects.isEmpty() ? Map.of() : TableChecksums.parse(psql(database, String.join(" UNION ALL ", selects)));
    }

    private static String literal(final String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
