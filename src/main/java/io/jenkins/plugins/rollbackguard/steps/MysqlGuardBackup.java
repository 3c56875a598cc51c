package io.jenkins.plugins.rollbackguard.steps;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import hudson.Extension;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec;

/** A dump of a Mysql database, taken on the agent: {@code mysql(host: 'db', database: 'shop', user: 'app')}. */
public class MysqlGuardBackup extends GuardBackup {
    private static final long serialVersionUID = 1L; // first release

    private final String host;
    private final String database;
    private final String user;
    private int port;
    private String credentialsId = "";

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
        super();
        this.host = host == null ? "" : host.strip();
        this.database = database == null ? "" : database.strip();
        this.user = user == null ? "" : user.strip();
    }

    public String getHost() {
        return host;
    }

    public String getDatabase() {
        return database;
    }

    public String getUser() {
        return user;
    }

    public int getPort() {
        return port;
    }

    /**
     * Sets the port.
     *
     * @param port
     *         the port, or 0 for the default
     */
    @DataBoundSetter
    public void setPort(final int port) {
        this.port = Math.max(0, port);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /**
     * Sets the Secret text credential (or username/password credential) holding the password.
     *
     * @param credentialsId
     *         the credentials id, or blank for none
     */
    @DataBoundSetter
    public void setCredentialsId(final String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId.strip();
    }

    @Override
    public BackupSpec toSpec() {
        return new MysqlBackupSpec(host, port > 0 ? port : null, database, user,
                GuardProbe.blankToNull(credentialsId), null, null, null, null);
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
