package io.jenkins.plugins.rollbackguard.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private MariaDB server for tests: a fresh data directory, started on a free loopback port and a socket of
 * its own; the tests use root over the socket and create password users for TCP.
 */
public final class MariaDbServer implements AutoCloseable {
    private static final Path SERVER = Path.of("/usr/sbin/mariadbd");

    private final Path dir;
    private final int port;
    private final Process process;

    private MariaDbServer(final Path dir, final int port, final Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * Creates and starts a server; fails if the binaries are missing (see {@link ServerProcesses#ALLOW_MISSING}).
     *
     * @return the running server
     */
    public static MariaDbServer start() {
        ServerProcesses.requireBinary(SERVER, "mariadb-server");
        try {
            Path dir = Files.createTempDirectory("rg-mariadb");
            String user = System.getProperty("user.name");
            ServerProcesses.run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"),
                    "--user=" + user, "--auth-root-authentication-method=normal", "--skip-test-db"));
            int port = ServerProcesses.freePort();
            List<String> command = new ArrayList<>(List.of(SERVER.toString(), "--no-defaults",
                    "--datadir=" + dir.resolve("data"), "--user=" + user, "--port=" + port,
                    "--bind-address=127.0.0.1", "--socket=" + dir.resolve("sock"), "--pid-file=" + dir.resolve("pid"),
                    "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("log").toFile()).start();
            MariaDbServer server = new MariaDbServer(dir, port, process);
            server.awaitReady();
            return server;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start MariaDB", e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mariadbd exited; see " + dir.resolve("log"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                if (Files.exists(dir.resolve("sock"))) {
                    return;
                }
            }
            catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for mariadbd", e);
            }
        }
        throw new IllegalStateException("mariadbd did not listen on port %d within 60 s".formatted(port));
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
     * Runs SQL as root over the socket; returns tab-separated rows without headers.
     *
     * @param database
     *         the database, or empty for none
     * @param sql
     *         the statements
     * @return the output
     */
    public String sql(final String database, final String sql) {
        List<String> command = new ArrayList<>(List.of("mariadb", "--no-defaults", "-S", dir.resolve("sock").toString(),
                "-u", "root", "-N", "-B", "-e", sql));
        if (!database.isEmpty()) {
            command.add(database);
        }
        return ServerProcesses.run(command);
    }

    /**
     * Creates a user reachable over TCP with a password, and a database it may use fully.
     *
     * @param user
     *         the user
     * @param password
     *         its password
     * @param database
     *         the database
     */
    public void createUserAndDatabase(final String user, final String password, final String database) {
        // On standard input, not with -e: the password must not be on a command line (tests sample them).
        ServerProcesses.run(List.of("mariadb", "--no-defaults", "-S", dir.resolve("sock").toString(), "-u", "root"),
                ("CREATE DATABASE %3$s; CREATE USER '%1$s'@'%%' IDENTIFIED BY '%2$s'; "
                + "CREATE USER '%1$s'@'localhost' IDENTIFIED BY '%2$s'; "
                + "GRANT ALL ON *.* TO '%1$s'@'%%'; GRANT ALL ON *.* TO '%1$s'@'localhost';%n")
                .formatted(user, password, database));
    }

    /**
     * Starts a session that holds a write lock on a table for up to ten minutes, so that dumps of it wait.
     *
     * @param database
     *         the database
     * @param table
     *         the table to lock
     * @return the session's process; destroy it to release the lock
     */
    public Process holdLock(final String database, final String table) {
        try {
            Process process = new ProcessBuilder("mariadb", "--no-defaults", "-S", dir.resolve("sock").toString(),
                    "-u", "root", "-N", "-B", "-e", "LOCK TABLES %s WRITE; SELECT SLEEP(600);".formatted(table), database)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && sql("", "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                    + "WHERE INFO LIKE 'SELECT SLEEP(600)%'").strip().equals("0")) {
                Thread.sleep(50);
            }
            return process;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start mariadb", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            process.destroy(); // SIGTERM: mariadbd shuts down cleanly
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        finally {
            ServerProcesses.deleteTree(dir);
        }
    }
}
