package io.jenkins.plugins.rollbackguard.steps;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

import hudson.Extension;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec;

/** A dump of a Postgres database, taken on the agent: {@code postgres(host: 'db', database: 'shop', user: 'app')}. */
public class PostgresGuardBackup extends DatabaseGuardBackup {
    private static final long serialVersionUID = 1L; // first release

    /**
     * Creates the backup.
     *
     * @param host
     *         the server's host
     * @param database
     *         the database to dump
     * @param user
     *         the user to connect as
     */
    @DataBoundConstructor
    public PostgresGuardBackup(final String host, final String database, final String user) {
        super(host, database, user);
    }

    @Override
    public BackupSpec toSpec() {
        return new PostgresBackupSpec(getHost(), portOrNull(), getDatabase(), getUser(), credentialsIdOrNull(),
                null, null, null);
    }

    /** Registers the backup kind with the symbol {@code postgres}. */
    @Extension
    @Symbol("postgres")
    public static class DescriptorImpl extends GuardBackupDescriptor {
        @Override
        public String getDisplayName() {
            return Messages.PostgresGuardBackup_DisplayName();
        }
    }
}
