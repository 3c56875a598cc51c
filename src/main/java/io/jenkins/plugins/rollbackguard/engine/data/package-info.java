/**
 * The data head: which migration a database is at, read from the migration tool's own history table
 * (Flyway's {@code flyway_schema_history}, Liquibase's {@code DATABASECHANGELOG}, golang-migrate, Alembic,
 * Prisma) or from a query, through the connection and client tools of a PostgreSQL or MariaDB/MySQL backup.
 * {@link io.jenkins.plugins.rollbackguard.engine.data.DataHeads} builds a
 * {@link io.jenkins.plugins.rollbackguard.engine.data.DataHeadReader} from a
 * {@link io.jenkins.plugins.rollbackguard.engine.data.DataSourceSpec}.
 */
package io.jenkins.plugins.rollbackguard.engine.data;
