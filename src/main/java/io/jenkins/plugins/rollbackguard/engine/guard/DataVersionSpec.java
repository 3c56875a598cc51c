package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data version a deploy expects (the last migration, a schema hash): a fixed value, or a command
 * whose trimmed standard output is the value. A revert across a change of data version is never done
 * blindly (see {@link RollbackPlanner}).
 *
 * @param value
 *         a fixed value, or null
 * @param command
 *         a command printing the value, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataVersionSpec(String value, List<String> command) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Checks that exactly one of the two is given. */
    public DataVersionSpec {
        boolean hasValue = value != null && !value.isBlank();
        boolean hasCommand = command != null && !command.isEmpty();
        if (hasValue == hasCommand) {
            throw new IllegalArgumentException(hasValue
                    ? "dataVersion: give either 'value' or 'command', not both"
                    : "dataVersion: give either 'value' (the version) or 'command' (a command printing it)");
        }
        command = command == null ? null : List.copyOf(command);
    }
}
