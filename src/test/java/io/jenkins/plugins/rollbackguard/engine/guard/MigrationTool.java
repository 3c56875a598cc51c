package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * The real Flyway and the real Liquibase, as a deploy command, an application start script or an undo command run
 * them: in this JVM ({@link #flyway}, {@link #liquibaseUpdate}) or as a process of its own ({@link #command}, whose
 * password comes from the environment variable {@code DB_PASSWORD}, as a policy's {@code secretEnvironment} gives it).
 */
public final class MigrationTool {
    private MigrationTool() {
    }

    /** Runs {@code flyway migrate} on the scripts of a directory. */
    public static void flyway(final String url, final String user, final String password, final Path dir) {
        Flyway.configure().dataSource(url, user, password).locations("filesystem:" + dir).cleanDisabled(true).load()
                .migrate();
    }

    /** Runs {@code liquibase update}, then tags the database if a tag is given. */
    static void liquibaseUpdate(final String url, final String user, final String password, final Path dir,
                                final String changelog, final String tag) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            Liquibase liquibase = liquibase(connection, dir, changelog);
            liquibase.update(new Contexts(), new LabelExpression());
            if (tag != null) {
                liquibase.tag(tag);
            }
        }
    }

    @SuppressWarnings("deprecation") // the CommandScope API says the same in more lines
    private static Liquibase liquibase(final Connection connection, final Path dir, final String changelog)
            throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        return new Liquibase(changelog, new DirectoryResourceAccessor(dir), database);
    }

    /**
     * @param arguments
     *         {@code flyway URL USER DIR} or {@code liquibase-rollback URL USER DIR CHANGELOG TAG}
     * @return the command line that runs this class as a process, the password taken from {@code DB_PASSWORD}
     */
    public static List<String> command(final String... arguments) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), MigrationTool.class.getName()));
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * The process: {@code flyway URL USER DIR} migrates, {@code liquibase-rollback URL USER DIR CHANGELOG TAG} rolls
     * back to a tag.
     *
     * @param args
     *         the arguments
     * @throws Exception
     *         if the rollback fails (the process exits non-zero)
     */
    public static void main(final String[] args) throws Exception {
        if ("flyway".equals(args[0])) {
            flyway(args[1], args[2], System.getenv("DB_PASSWORD"), Path.of(args[3]));
            System.out.println("migrated " + args[3]);
            return;
        }
        if (!"liquibase-rollback".equals(args[0])) {
            throw new IllegalArgumentException("unknown tool " + args[0]);
        }
        try (Connection connection = DriverManager.getConnection(args[1], args[2], System.getenv("DB_PASSWORD"))) {
            liquibase(connection, Path.of(args[3]), args[4]).rollback(args[5], new Contexts(), new LabelExpression());
        }
        System.out.println("rolled back to " + args[5]);
    }
}
