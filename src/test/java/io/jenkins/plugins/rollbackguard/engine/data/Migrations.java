package io.jenkins.plugins.rollbackguard.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.lockservice.LockServiceFactory;
import liquibase.resource.DirectoryResourceAccessor;

/** Runs the real Flyway and the real Liquibase over JDBC against a test server, from scripts in a directory. */
final class Migrations {
    private final String url;
    private final String user;
    private final String password;

    Migrations(final String url, final String user, final String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    static Migrations postgres(final int port, final String database, final String user, final String password) {
        return new Migrations("jdbc:postgresql://127.0.0.1:%d/%s".formatted(port, database), user, password);
    }

    static Migrations mariadb(final int port, final String database, final String user, final String password) {
        return new Migrations("jdbc:mariadb://127.0.0.1:%d/%s".formatted(port, database), user, password);
    }

    /** Writes scripts (file name to content) into a directory, replacing any of the same name. */
    static Path scripts(final Path dir, final Map<String, String> files) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue());
            }
            return dir;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code flyway migrate} on the scripts of a directory; the first schema given holds the history. */
    MigrateResult flyway(final Path dir, final String... schemas) {
        var config = Flyway.configure().dataSource(url, user, password).locations("filesystem:" + dir)
                .cleanDisabled(true);
        if (schemas.length > 0) {
            config = config.schemas(schemas);
        }
        return config.load().migrate();
    }

    /** Runs {@code flyway migrate} keeping the history in a table of another name. */
    MigrateResult flywayWithTable(final Path dir, final String table) {
        return Flyway.configure().dataSource(url, user, password).locations("filesystem:" + dir).table(table)
                .cleanDisabled(true).load().migrate();
    }

    /** Runs {@code flyway repair}: removes the rows of failed migrations. */
    void flywayRepair(final Path dir) {
        Flyway.configure().dataSource(url, user, password).locations("filesystem:" + dir).load().repair();
    }

    /** Runs {@code liquibase update} on a changelog of a directory, then tags the database if a tag is given. */
    void liquibase(final Path dir, final String changelog, final String tag) {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            @SuppressWarnings("deprecation") // the CommandScope API says the same in more lines
            Liquibase liquibase = new Liquibase(changelog, new DirectoryResourceAccessor(dir), database);
            liquibase.update(new Contexts(), new LabelExpression());
            if (tag != null) {
                liquibase.tag(tag);
            }
        }
        catch (SQLException | LiquibaseException | IOException e) {
            throw new IllegalStateException("liquibase update failed: " + e.getMessage(), e);
        }
    }

    /** Takes Liquibase's DATABASECHANGELOGLOCK and leaves it held, as an update that died midway does. */
    void holdLiquibaseLock() {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            LockServiceFactory.getInstance().getLockService(database).waitForLock();
            connection.commit();
            LockServiceFactory.getInstance().resetAll();
        }
        catch (SQLException | LiquibaseException e) {
            throw new IllegalStateException("cannot take the Liquibase lock: " + e.getMessage(), e);
        }
    }
}
