package io.jenkins.plugins.rollbackguard.steps;

import org.kohsuke.stapler.DataBoundSetter;

/**
 * What the database backups share: the server, the database, the user, an optional port and the credential
 * holding the password. Subclasses bind the three required values in their {@code @DataBoundConstructor}
 * (constructors are not inherited) and build their own engine specification.
 */
public abstract class DatabaseGuardBackup extends GuardBackup {
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
    protected DatabaseGuardBackup(final String host, final String database, final String user) {
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

    /** @return the port for the engine's specification, or null for the server's default */
    protected Integer portOrNull() {
        return port > 0 ? port : null;
    }

    /** @return the credential id for the engine's specification, or null for none */
    protected String credentialsIdOrNull() {
        return GuardProbe.blankToNull(credentialsId);
    }
}
