package io.jenkins.plugins.rollbackguard.engine.data;

import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;

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
        throw new UnsupportedOperationException("not built yet");
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
        throw new UnsupportedOperationException("not built yet");
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
