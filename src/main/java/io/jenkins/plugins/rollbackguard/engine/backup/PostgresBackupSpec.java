package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serial;

/**
 * Backs up one PostgreSQL database with {@code pg_dump -Fc}. The password is looked up by name and handed to
 * the client programs through the environment ({@code PGPASSWORD}), never on the command line.
 *
 * @param host
 *         the server's host, or the directory of its Unix socket
 * @param port
 *         the server's port; 5432 by default
 * @param database
 *         the database to dump
 * @param user
 *         the role to connect as
 * @param passwordSecret
 *         the NAME of the secret holding the password, or null for none (trust, peer or a .pgpass of the host)
 * @param binDir
 *         the directory holding pg_dump, pg_restore and psql, or null to use the PATH
 * @param timeoutSeconds
 *         how long a dump or restore may run; one hour by default
 * @param checksumTables
 *         whether to record a hash of each table's ordered contents, so that a restore test can compare
 *         contents exactly (costs a full read of the database before and after the dump)
 */
public record PostgresBackupSpec(String host, Integer port, String database, String user, String passwordSecret,
                                 String binDir, Integer timeoutSeconds, Boolean checksumTables) implements BackupSpec {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Validates the values and fills the defaults. */
    public PostgresBackupSpec {
        host = SpecChecks.host("host", host);
        port = SpecChecks.port("port", port, 5432);
        database = SpecChecks.name("database", database);
        user = SpecChecks.name("user", user);
        passwordSecret = SpecChecks.secretName("passwordSecret", passwordSecret);
        binDir = binDir == null || binDir.isBlank() ? null : SpecChecks.host("binDir", binDir);
        timeoutSeconds = SpecChecks.positive("timeoutSeconds", timeoutSeconds, 3600, 7 * 24 * 3600);
        checksumTables = Boolean.TRUE.equals(checksumTables);
    }

    @Override
    public BackupKind kind() {
        return BackupKind.POSTGRES;
    }

    @Override
    public String describe() {
        return "postgres://%s@%s:%d/%s".formatted(user, host, port, database);
    }

    /**
     * Returns the path of a client program.
     *
     * @param name
     *         pg_dump, pg_restore or psql
     * @return the program to run
     */
    String program(final String name) {
        return binDir == null ? name : binDir + "/" + name;
    }
}
