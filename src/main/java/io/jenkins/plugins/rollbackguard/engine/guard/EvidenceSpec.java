package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where the log tail of a trip's evidence comes from (docs/policy.md, {@code evidence}): the output of a command
 * ({@code {command: [journalctl, -u, shop, --since, "{deployStarted}"]}}) or the end of a file
 * ({@code {path: /var/log/shop.log}}); the last 64 KiB is kept, masked, with the point.
 *
 * @param command
 *         the program and its arguments; {@code {deployStarted}} is replaced by the time the deploy started
 *         ({@code 2026-12-01 21:30:00 UTC}, the form journalctl reads)
 * @param path
 *         a log file whose end is kept
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvidenceSpec(List<String> command, String path) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Checks the command's items and the path (that exactly one is given: {@link #checkOneSource}). */
    public EvidenceSpec {
        if (command != null) {
            if (command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
                throw new IllegalArgumentException("command: must name a program, e.g. [journalctl, -u, shop]");
            }
            for (int i = 0; i < command.size(); i++) {
                if (command.get(i) == null) {
                    throw new IllegalArgumentException("command[%d]: is empty; fill it in or remove it".formatted(i));
                }
            }
            command = List.copyOf(command);
        }
        if (path != null && path.isBlank()) {
            throw new IllegalArgumentException("path: is empty; name the log file, e.g. /var/log/shop.log");
        }
    }

    /**
     * Checks that exactly one source is given. Called by the policy, not here: the reader reports a misspelt field
     * ({@code pth}) once this record is built, and "did you mean 'path'?" says more than "give a path".
     *
     * @throws IllegalArgumentException
     *         naming the field and the fix
     */
    void checkOneSource() {
        if ((command == null) == (path == null)) {
            throw new IllegalArgumentException(command == null
                    ? "evidence: give either command (a program whose output is the log) or path (a log file)"
                    : "evidence: give either command or path, not both");
        }
    }
}
