/**
 * Backups taken before a deploy, so that a rollback can bring data back too: file trees (tar.gz with a
 * sha256 manifest), PostgreSQL ({@code pg_dump -Fc}), MariaDB/MySQL ({@code mariadb-dump}) and any command that
 * writes a file. {@link io.jenkins.plugins.rollbackguard.engine.backup.BackupStore} takes, verifies, restores,
 * lists and prunes them; {@link io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec} describes what to back up.
 */
package io.jenkins.plugins.rollbackguard.engine.backup;
