package io.jenkins.plugins.rollbackguard.engine.data;

import java.time.Instant;
import java.util.Optional;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;

/** The {@code database} source: the head of the migration history table found (or named) in the database. */
final class DatabaseHeadReader implements DataHeadReader {
    private final DataSourceSpec spec;
    private final BackupSpec connection;
    private final BackupContext ctx;

    DatabaseHeadReader(final DataSourceSpec spec, final BackupSpec connection, final BackupContext ctx) {
        this.spec = spec;
        this.connection = connection;
        this.ctx = ctx;
    }

    @Override
    public DataHead read() {
        try (SqlSession session = SqlSession.open(connection, ctx)) {
            Optional<HistoryTable> found = HistoryTables.find(session, spec);
            Instant now = ctx.scheduler().now();
            if (found.isEmpty()) {
                return DataHead.none(now);
            }
            HistoryTable table = found.get();
            switch (table.tool()) {
                case "flyway":
                    return FlywayHistory.read(session, table, now);
                case "liquibase":
                    return LiquibaseHistory.read(session, table, spec.lockTimeoutDuration(), now);
                default:
                    return OtherHistories.read(session, table, now);
            }
        }
    }
}
