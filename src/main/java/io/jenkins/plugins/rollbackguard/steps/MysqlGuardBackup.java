package io.jenkins.plugins.rollbackguard.steps;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

import hudson.Extension;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec;

/** A dump of a Mysql database, taken on the agent: {@code mysql(host: 'db', database: 'shop', user: 'app')}. */
public class MysqlGuardBackup extends DatabaseGuardBackup {
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
    public MysqlGuardBackup(final String host, final String database, final String user) {
        super(host, database, user);
    }

    @Override
    public BackupSpec toSpec() {
        return new MysqlBackupSpec(getHost(), portOrNull(), getDatabase(), getUser(), credentialsIdOrNull(),
                null, null, null, null);
    }

    /** Registers the backup kind with the symbol {@code mysql}. */
    @Extension
    @Symbol("mysql")
    public static class DescriptorImpl extends GuardBackupDescriptor {
        @Override
        public String getDisplayName() {
            return Messages.MysqlGuardBackup_DisplayName();
        }
    }
}
