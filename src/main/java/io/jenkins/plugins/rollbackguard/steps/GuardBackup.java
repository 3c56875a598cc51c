package io.jenkins.plugins.rollbackguard.steps;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

import hudson.model.Describable;
import hudson.model.Descriptor;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;

/**
 * A backup configured inline in {@code withRollbackGuard(backups: [...])}. Each kind only translates its fields
 * into the engine's {@link BackupSpec}.
 */
public abstract class GuardBackup implements Describable<GuardBackup>, Serializable {
    private static final long serialVersionUID = 1L; // first release

    /** @return the engine's specification of this backup */
    public abstract BackupSpec toSpec();

    /**
     * Splits a command line at white space (no quoting: use a policy file for arguments with spaces).
     *
     * @param line
     *         the command line
     * @return the program and its arguments, empty for a blank line
     */
    static List<String> words(final String line) {
        if (line == null || line.isBlank()) {
            return List.of();
        }
        return Arrays.asList(line.strip().split("\\s+"));
    }

    /**
     * Splits a comma or newline separated list.
     *
     * @param text
     *         the text
     * @return the trimmed, non-blank items
     */
    static List<String> items(final String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("[,\\n]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The descriptor of every backup kind. */
    public abstract static class GuardBackupDescriptor extends Descriptor<GuardBackup> {
    }
}
