package io.jenkins.plugins.rollbackguard.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private PostgreSQL 15 server for tests: initdb in a temp directory, started on a free loopback port with
 * password (scram) authentication over TCP and trust over its own Unix socket, which the tests use as superuser.
 * When the tests run as root, the server runs as the {@code postgres} user, since PostgreSQL refuses root.
 */
public final class PostgresServer implements AutoCloseable {
    /** Where Debian installs the server binaries. */
    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String SUPERUSER = "postgres";

    private final Path dir;
    private final int port;

    private PostgresServer(final Path dir, final int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Creates and starts a server; fails if the binaries are missing (see {@link ServerProcesses#ALLOW_MISSING}).
     *
     * @return the running server
     */
    public static PostgresServer start() {
        ServerProcesses.requireBinary(BIN.resolve("initdb"), "postgresql-15");
        try {
            Path dir = Files.createTempDirectory("rg-postgres");
            String owner = ServerProcesses.isRoot() ? SUPERUSER : System.getProperty("user.name");
            if (ServerProcesses.isRoot()) {
                ServerProcesses.run(List.of("chown", owner, dir.toString()));
            }
            Path pwfile = dir.resolve("pw");
            ServerProcesses.run(ServerProcesses.as(owner, "sh", "-c", "echo superpw > " + pwfile));
            ServerProcesses.run(ServerProcesses.as(owner, BIN.resolve("initdb").toString(), "-D", dir + "/data",
                    "-U", SUPERUSER, "--pwfile=" + pwfile, "--auth-local=trust", "--auth-host=scram-sha-256",
                    "-E", "UTF8", "--no-locale", "--no-sync"));
            int port = ServerProcesses.freePort();
            ServerProcesses.run(ServerProcesses.as(owner, BIN.resolve("pg_ctl").toString(), "-D", dir + "/data",
                    "-o", "-p %d -k %s -h 127.0.0.1 -F".formatted(port, dir), "-l", dir + "/log", "-w", "start"));
            return new PostgresServer(dir, port);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot create a PostgreSQL data directory", e);
        }
    }

    /** @return the TCP host */
    public String host() {
        return "127.0.0.1";
    }

    /** @return the TCP port */
    public int port() {
        return port;
    }

    /**
     * Runs SQL as superuser over the Unix socket and returns unaligned, tuples-only output.
     *
     * @param database
     *         the database
     * @param sql
     *         the statements
     * @return the output
     */
    public String sql(final String database, final String sql) {
        return ServerProcesses.run(List.of("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", dir.toString(),
                "-p", String.valueOf(port), "-U", SUPERUSER, "-d", database, "-c", sql));
    }

    /**
     * Creates a login role with a password and a database it owns.
     *
     * @param user
     *         the role
     * @param password
     *         its password
     * @param database
     *         the database
     */
    public void createUserAndDatabase(final String user, final String password, final String database) {
        // On standard input, not with -c: the password must not be on a command line (tests sample them).
        ServerProcesses.run(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir.toString(), "-p",
                String.valueOf(port), "-U", SUPERUSER, "-d", "postgres"),
                "CREATE ROLE %s LOGIN CREATEDB PASSWORD '%s';%n".formatted(user, password));
        sql("postgres", "CREATE DATABASE %s OWNER %s".formatted(database, user));
    }

    /**
     * Starts a session that holds an exclusive lock on a table for up to a minute, so that dumps wait.
     *
     * @param database
     *         the database
     * @param table
     *         the table to lock
     * @return the session's process; destroy it and terminate its backend when done
     */
    public Process holdLock(final String database, final String table) {
        try {
            Process process = new ProcessBuilder("psql", "-X", "-h", dir.toString(), "-p", String.valueOf(port), "-U",
                    SUPERUSER, "-d", database, "-c",
                    "BEGIN; LOCK TABLE %s IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);".formatted(table))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && sql(database, ("SELECT count(*) FROM pg_locks l JOIN pg_class c "
                    + "ON c.oid = l.relation WHERE c.relname = '%s' AND l.mode = 'AccessExclusiveLock'").formatted(table))
                    .strip().equals("0")) {
                Thread.sleep(50);
            }
            return process;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start psql", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    @Override
    public void close() {
        String owner = ServerProcesses.isRoot() ? SUPERUSER : System.getProperty("user.name");
        try {
            ServerProcesses.run(ServerProcesses.as(owner, BIN.resolve("pg_ctl").toString(), "-D", dir + "/data",
                    "-m", "immediate", "-w", "stop"));
        }
        finally {
            ServerProcesses.deleteTree(dir);
        }
    }
}
