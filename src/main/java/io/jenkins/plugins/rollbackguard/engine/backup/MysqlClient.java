package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretFiles;

/**
 * Builds requests for mariadb-dump/mysqldump and the mariadb/mysql client. Credentials go in a defaults file
 * ({@link SecretFiles}: a private 0700 directory, the file 0600, written only once the secret is known, deleted on
 * {@link #close()} and swept after a kill), never on the command line or in the environment.
 */
public final class MysqlClient implements AutoCloseable {
    private final MysqlBackupSpec spec;
    private final BackupContext ctx;
    private final SecretFiles.SecretFile defaults;

    /**
     * Creates a client for the spec's connection and writes its private defaults file.
     *
     * @param spec
     *         the connection
     * @param ctx
     *         the secrets (the password is looked up by name) and the runner
     * @throws IOException
     *         if the defaults file cannot be written
     */
    public MysqlClient(final MysqlBackupSpec spec, final BackupContext ctx) throws IOException {
        this.spec = spec;
        this.ctx = ctx;
        StringBuilder text = new StringBuilder("[client]\n")
                .append("user=").append(spec.user()).append('\n')
                .append("host=").append(spec.host()).append('\n')
                .append("port=").append(spec.port()).append('\n')
                .append("protocol=TCP\n");
        if (spec.passwordSecret() != null) {
            String password = ctx.secrets().require(spec.passwordSecret(), "passwordSecret").reveal();
            text.append("password=\"").append(password.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        this.defaults = SecretFiles.write(".cnf", text.toString()); // after the secret: a missing one leaves no file
    }

    /**
     * Builds a request for a client program reading the private defaults file.
     *
     * @param program
     *         the program, such as the spec's client program
     * @param args
     *         the arguments after the defaults file
     * @return the request
     */
    public CommandRequest request(final String program, final List<String> args) {
        List<String> command = new ArrayList<>(List.of(program, "--defaults-extra-file=" + defaults.path()));
        command.addAll(args);
        return new CommandRequest(command, Map.of(), Map.of(), null, Duration.ofSeconds(spec.timeoutSeconds()),
                null, CommandRequest.DEFAULT_OUTPUT_LIMIT);
    }

    String sql(final String database, final String sql) {
        return Processes.run(ctx, spec.clientProgram() + " on " + database,
                request(spec.clientProgram(), List.of("-N", "-B", "-e", sql, database))).stdout();
    }

    /** Hashes each base table's rows, sorted by row hash; NULL and '' differ because of QUOTE(). */
    Map<String, String> tableChecksums(final String database) {
        String columns = sql(database, "SELECT c.TABLE_NAME, c.COLUMN_NAME FROM information_schema.COLUMNS c "
                + "JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME "
                + "WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' "
                + "ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION");
        Map<String, List<String>> tables = new LinkedHashMap<>();
        columns.lines().map(line -> line.split("\t", 2)).filter(parts -> parts.length == 2)
                .forEach(parts -> tables.computeIfAbsent(parts[0], t -> new ArrayList<>())
                        .add("QUOTE(" + quoted(parts[1]) + ")"));
        if (tables.isEmpty()) {
            return Map.of();
        }
        List<String> selects = new ArrayList<>();
        tables.forEach((table, cols) -> selects.add(("SELECT '%s', COALESCE(SHA2(GROUP_CONCAT(h ORDER BY h "
                + "SEPARATOR ''), 256), 'empty') FROM (SELECT MD5(CONCAT_WS('|', %s)) AS h FROM %s) s")
                .formatted(table.replace("'", "''"), String.join(", ", cols), quoted(table))));
        return TableChecksums.parse(sql(database, "SET SESSION group_concat_max_len = 4294967295; "
                + String.join(" UNION ALL ", selects)));
    }

    static String quoted(final String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** Deletes the defaults file. */
    @Override
    public void close() {
        defaults.close();
    }
}
