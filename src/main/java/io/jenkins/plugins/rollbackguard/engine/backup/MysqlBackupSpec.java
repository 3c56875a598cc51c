package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serial;

/**
 * Backs up one MariaDB or MySQL database as SQL with {@code --single-transaction --routines --triggers}. The
 * credentials go to the client programs in a temporary defaults file readable only by its owner, never on the
 * command line.
 *
 * @param host
 *         the server's host (connected over TCP)
 * @param port
 *         the server's port; 3306 by default
 * @param database
 *         the database to dump
 * @param user
 *         the user to connect as
 * @param passwordSecret
 *         the NAME of the secret holding the password, or null for none
 * @param dumpProgram
 *         the dump program: {@code mariadb-dump} by default, or {@code mysqldump}
 * @param clientProgram
 *         the client program: {@code mariadb} by default, or {@code mysql}
 * @param timeoutSeconds
 *         how long a dump or restore may run; one hour by default
 * @param checksumTables
 *         whether to record a hash of each table's ordered contents for exact restore tests
 */
public record MysqlBackupSpec(String host, Integer port, String database, String user, String passwordSecret,
                              String dumpProgram, String clientProgram, Integer timeoutSeconds,
                              Boolean checksumTables) implements BackupSpec {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Validates the values and fills the defaults. */
    public MysqlBackupSpec {
        host = SpecChecks.host("host", host);
        port = SpecChecks.port("port", port, 3306);
        database = SpecChecks.name("database", database);
        user = SpecChecks.name("user", user);
        passwordSecret = SpecChecks.secretName("passwordSecret", passwordSecret);
        dumpProgram = dumpProgram == null ? "mariadb-dump" : SpecChecks.host("dumpProgram", dumpProgram);
        clientProgram = clientProgram == null ? "mariadb" : SpecChecks.host("clientProgram", clientProgram);
        timeoutSeconds = SpecChecks.positive("timeoutSeconds", timeoutSeconds, 3600, 7 * 24 * 3600);
        checksumTables = Boolean.TRUE.equals(checksumTables);
    }

    @Override
    public BackupKind kind() {
        return BackupKind.MYSQL;
    }

    @Override
    public String describe() {
        return "mysql://%s@%s:%d/%s".formatted(user, host, port, database);
    }
}
