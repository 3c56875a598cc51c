package io.jenkins.plugins.rollbackguard.steps;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import hudson.Extension;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.FilesBackupSpec;

/** A backup of a directory on the agent: {@code files(path: '/srv/app/uploads')}. */
public class FilesGuardBackup extends GuardBackup {
    private static final long serialVersionUID = 1L; // first release

    private final String path;
    private String include = "";
    private String exclude = "";

    /**
     * Creates the backup.
     *
     * @param path
     *         the absolute directory to back up, on the agent
     */
    @DataBoundConstructor
    public FilesGuardBackup(final String path) {
        super();
        this.path = path == null ? "" : path.strip();
    }

    public String getPath() {
        return path;
    }

    public String getInclude() {
        return include;
    }

    @DataBoundSetter
    public void setInclude(final String include) {
        this.include = include == null ? "" : include.strip();
    }

    public String getExclude() {
        return exclude;
    }

    @DataBoundSetter
    public void setExclude(final String exclude) {
        this.exclude = exclude == null ? "" : exclude.strip();
    }

    @Override
    public BackupSpec toSpec() {
        return new FilesBackupSpec(path, items(include), items(exclude), null);
    }

    /** Registers the backup kind with the symbol {@code files}. */
    @Extension
    @Symbol("files")
    public static class DescriptorImpl extends GuardBackupDescriptor {
        @Override
        public String getDisplayName() {
            return Messages.FilesGuardBackup_DisplayName();
        }
    }
}
