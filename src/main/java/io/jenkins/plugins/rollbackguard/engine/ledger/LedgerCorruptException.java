package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;
import java.nio.file.Path;

/**
 * A ledger file holds an unreadable record that is not its torn last line. The ledger refuses to open
 * such an environment; {@link Ledger#salvage} keeps every readable record and moves the file aside.
 */
public class LedgerCorruptException extends LedgerException {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    private final transient Path file;
    private final long line;

    /**
     * Creates the exception.
     *
     * @param file
     *         the corrupt file
     * @param line
     *         the 1-based line number
     * @param reason
     *         what is wrong with it
     * @param cause
     *         the parser's exception, or null
     */
    public LedgerCorruptException(final Path file, final long line, final String reason, final Throwable cause) {
        super("Ledger file %s is corrupt at line %d: %s (run 'rollback-guard salvage' to keep every readable record)"
                .formatted(file, line, reason), cause);
        this.file = file;
        this.line = line;
    }

    /** @return the corrupt file */
    public Path getFile() {
        return file;
    }

    /** @return the 1-based line number of the first unreadable record */
    public long getLine() {
        return line;
    }
}
