package io.jenkins.plugins.rollbackguard.util;

import java.nio.file.Path;

/**
 * Where the plugin keeps its files on the controller: {@code JENKINS_HOME/rollback-guard/}, with the ledger in
 * {@code ledger/} and the default backup store in {@code backups/}. Agents never touch these directories.
 */
public class RollbackGuardHome {
    /** The name of the plugin's directory inside {@code JENKINS_HOME}. */
    public static final String DIRECTORY = "rollback-guard";
    /** The name of the ledger directory inside {@link #DIRECTORY}. */
    public static final String LEDGER = "ledger";
    /** The name of the default backup directory inside {@link #DIRECTORY}. */
    public static final String BACKUPS = "backups";
    /** The name of the environments' point files directory inside {@link #DIRECTORY}. */
    public static final String FILES = "files";

    private final JenkinsFacade jenkins;

    /** Creates the home of the running Jenkins. */
    public RollbackGuardHome() {
        this(new JenkinsFacade());
    }

    /**
     * Creates the home below the root directory that the facade reports.
     *
     * @param jenkins
     *         the facade that knows {@code JENKINS_HOME}
     */
    public RollbackGuardHome(final JenkinsFacade jenkins) {
        this.jenkins = jenkins;
    }

    /** @return {@code JENKINS_HOME/rollback-guard} */
    public Path getRoot() {
        return jenkins.getRootDir().resolve(DIRECTORY);
    }

    /** @return {@code JENKINS_HOME/rollback-guard/ledger} */
    public Path getLedgerRoot() {
        return getRoot().resolve(LEDGER);
    }

    /**
     * Returns where the points of an environment keep their own files: the tail of the build log at the end of the
     * deploy and the evidence of a trip, {@code JENKINS_HOME/rollback-guard/files/<env>/points/<id>/}.
     *
     * @param environment
     *         the environment's name, already checked by the engine
     * @return the directory of the environment's points' files
     */
    public Path getPointFilesRoot(final String environment) {
        return getRoot().resolve(FILES).resolve(environment);
    }

    /** @return {@code JENKINS_HOME/rollback-guard/backups}, the backup root when none is configured */
    public Path getDefaultBackupRoot() {
        return getRoot().resolve(BACKUPS);
    }
}
