package io.jenkins.plugins.rollbackguard.steps;

import java.util.Map;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import hudson.Extension;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.CommandBackupSpec;

/**
 * A backup written by a command of your own: {@code command(command: 'snapshot.sh {output}')}; the engine
 * replaces {@code {output}} by the file the command must write.
 */
public class CommandGuardBackup extends GuardBackup {
    private static final long serialVersionUID = 1L; // first release

    private final String command;
    private String restoreCommand = "";

    /**
     * Creates the backup.
     *
     * @param command
     *         the program and its arguments, separated by white space
     */
    @DataBoundConstructor
    public CommandGuardBackup(final String command) {
        super();
        this.command = command == null ? "" : command.strip();
    }

    public String getCommand() {
        return command;
    }

    public String getRestoreCommand() {
        return restoreCommand;
    }

    @DataBoundSetter
    public void setRestoreCommand(final String restoreCommand) {
        this.restoreCommand = restoreCommand == null ? "" : restoreCommand.strip();
    }

    @Override
    public BackupSpec toSpec() {
        return new CommandBackupSpec(words(command), words(restoreCommand), Map.of(), null);
    }

    /** Registers the backup kind with the symbol {@code command}. */
    @Extension
    @Symbol("command")
    public static class DescriptorImpl extends GuardBackupDescriptor {
        @Override
        public String getDisplayName() {
            return Messages.CommandGuardBackup_DisplayName();
        }
    }
}
