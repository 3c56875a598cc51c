package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serial;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.spi.SecretNames;

/**
 * Backs up whatever a command writes to the path it is given. The token {@code {output}} in the command is
 * replaced by that path, which is also in the environment as {@code ROLLBACK_GUARD_BACKUP_FILE}. The optional
 * restore command gets the stored file as {@code {input}} (and {@code ROLLBACK_GUARD_BACKUP_FILE}).
 *
 * @param command
 *         the program and its arguments
 * @param restoreCommand
 *         the program and arguments that restore the file, or empty if the kind cannot be restored in place
 * @param secretEnvironment
 *         environment variables to set from secrets: variable name to secret NAME
 * @param timeoutSeconds
 *         how long the command may run; one hour by default
 */
public record CommandBackupSpec(List<String> command, List<String> restoreCommand,
                                Map<String, String> secretEnvironment, Integer timeoutSeconds) implements BackupSpec {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** The placeholder replaced by the file the command must write. */
    public static final String OUTPUT = "{output}";
    /** The placeholder replaced by the file the restore command must read. */
    public static final String INPUT = "{input}";
    /** The variable naming the file in both commands. */
    public static final String FILE_VARIABLE = "ROLLBACK_GUARD_BACKUP_FILE";

    /** Validates the values and fills the defaults. */
    public CommandBackupSpec {
        if (command == null || command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
            throw new IllegalArgumentException("command: must name a program, got " + command);
        }
        command = List.copyOf(command);
        restoreCommand = restoreCommand == null ? List.of() : List.copyOf(restoreCommand);
        secretEnvironment = Map.copyOf(secretEnvironment == null ? Map.of() : secretEnvironment);
        secretEnvironment.forEach((variable, secret) -> SecretNames.checkVariable("secretEnvironment", variable, secret));
        timeoutSeconds = SpecChecks.positive("timeoutSeconds", timeoutSeconds, 3600, 7 * 24 * 3600);
    }

    @Override
    public BackupKind kind() {
        return BackupKind.COMMAND;
    }

    @Override
    public String describe() {
        return "command " + command.get(0) + " (" + command.size() + " arguments)";
    }
}
