package io.jenkins.plugins.rollbackguard.cli;

import java.nio.file.Path;

import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import picocli.CommandLine.Option;

/**
 * The {@code --ledger} option shared by every command that reads or writes the ledger. The default
 * comes from {@code ROLLBACK_GUARD_HOME} (its {@code ledger} folder), else {@code ~/.rollback-guard/ledger}.
 */
final class LedgerOptions {
    static final String HOME_VARIABLE = "ROLLBACK_GUARD_HOME";

    @Option(names = "--ledger", paramLabel = "DIR",
            description = "Ledger directory (default: $ROLLBACK_GUARD_HOME/ledger, else ~/.rollback-guard/ledger).")
    private Path ledger;

    /** @return the home directory of rollback-guard (ledger, artifacts, backups beneath it) */
    static Path home() {
        String env = System.getenv(HOME_VARIABLE);
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".rollback-guard");
    }

    /** @return the ledger directory */
    Path directory() {
        return ledger != null ? ledger : home().resolve("ledger");
    }

    /** @return the opened ledger */
    Ledger open() {
        return Ledger.open(directory());
    }
}
