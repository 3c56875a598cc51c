package io.jenkins.plugins.rollbackguard.engine.data;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec;

/** Builds the reader of a data head from the policy's source and the connection of one of its backups. */
public final class DataHeads {
    private DataHeads() {
        // static factory only
    }

    /**
     * Picks the backup whose connection the data head is read through: the only PostgreSQL or MariaDB/MySQL
     * backup, or the one {@link DataSourceSpec#backup()} names.
     *
     * @param spec
     *         the source
     * @param backups
     *         the policy's backups
     * @return the backup spec (a PostgreSQL or MySQL one)
     * @throws DataHeadException
     *         if there is none, or several and the spec names none of them
     */
    public static BackupSpec connection(final DataSourceSpec spec, final List<BackupSpec> backups) {
        List<Integer> databases = new ArrayList<>();
        for (int i = 0; i < backups.size(); i++) {
            if (backups.get(i) instanceof PostgresBackupSpec || backups.get(i) instanceof MysqlBackupSpec) {
                databases.add(i);
            }
        }
        if (spec.backup() != null) {
            return named(spec.backup(), backups, databases);
        }
        if (databases.isEmpty()) {
            throw new DataHeadException("dataVersion.source: '%s' reads through a postgres or mysql backup, and the "
                    .formatted(spec.source()) + "policy has none; add one under 'backups', or give dataVersion a "
                    + "'value' or a 'command'");
        }
        if (databases.size() > 1) {
            throw new DataHeadException(("dataVersion.backup: the policy has %d database backups (%s); say which one "
                    + "holds the migration history, for example backup: %s").formatted(databases.size(),
                    databases.stream().map(i -> i + ": " + backups.get(i).describe()).collect(Collectors.joining(", ")),
                    database(backups.get(databases.get(0)))));
        }
        return backups.get(databases.get(0));
    }

    private static BackupSpec named(final String name, final List<BackupSpec> backups, final List<Integer> databases) {
        for (int i : databases) {
            if (name.equals(String.valueOf(i)) || name.equals(database(backups.get(i)))) {
                return backups.get(i);
            }
        }
        throw new DataHeadException(("dataVersion.backup: '%s' names no postgres or mysql backup of the policy; give "
                + "its index in 'backups' (from 0) or its database name%s").formatted(name, databases.isEmpty() ? ""
                : ", one of " + databases.stream().map(i -> i + " (" + database(backups.get(i)) + ")")
                        .collect(Collectors.joining(", "))));
    }

    private static String database(final BackupSpec spec) {
        return spec instanceof PostgresBackupSpec p ? p.database() : ((MysqlBackupSpec) spec).database();
    }

    /**
     * Returns a reader for the head.
     *
     * @param spec
     *         the source
     * @param connection
     *         a PostgreSQL or MySQL backup spec (see {@link #connection})
     * @param ctx
     *         the secrets and the runner of the machine where the backups run
     * @return the reader
     */
    public static DataHeadReader reader(final DataSourceSpec spec, final BackupSpec connection,
                                        final BackupContext ctx) {
        if (!(connection instanceof PostgresBackupSpec) && !(connection instanceof MysqlBackupSpec)) {
            throw new DataHeadException("dataVersion.backup: %s is not a postgres or mysql backup; the data head is "
                    .formatted(connection.describe()) + "read through a database connection");
        }
        return spec.source().equals("query") ? new QueryHeadReader(spec, connection, ctx)
                : new DatabaseHeadReader(spec, connection, ctx);
    }

    /**
     * Returns a reader for the head, through the connection of the policy's database backup.
     *
     * @param spec
     *         the source
     * @param backups
     *         the policy's backups
     * @param ctx
     *         the secrets and the runner of the machine where the backups run
     * @return the reader
     */
    public static DataHeadReader reader(final DataSourceSpec spec, final List<BackupSpec> backups,
                                        final BackupContext ctx) {
        return reader(spec, connection(spec, backups), ctx);
    }
}
