package io.jenkins.plugins.rollbackguard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.guard.DefaultsFile;
import io.jenkins.plugins.rollbackguard.engine.guard.HostDefaults;
import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --home} option of every command: the one directory that holds all of rollback-guard's state, the
 * {@code ledger/} (points, circuits, leases, events), {@code artifacts/<env>/} (the stored artifacts reverts
 * redeploy, the evidence bundles and deploy outputs) and {@code backups/}. They belong together: a point names its
 * artifact by hash in the artifact store and its backups by id in the backup store. The default is
 * {@code $ROLLBACK_GUARD_HOME}, else {@code $HOME/.rollback-guard}.
 * <p>
 * The former {@code --ledger DIR} moved the ledger alone, so a revert then looked for its artifact in another
 * home; it is refused with the option to use instead.
 */
final class LedgerOptions {
    static final String HOME_VARIABLE = "ROLLBACK_GUARD_HOME";

    @Option(names = "--home", paramLabel = "DIR",
            description = "The directory of all rollback-guard state: ledger, stored artifacts, evidence, backups "
                    + "(default: $ROLLBACK_GUARD_HOME, else $HOME/.rollback-guard).")
    private Path home;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    /**
     * Refuses the former option: the ledger apart from its artifacts and backups breaks reverts.
     *
     * @param ledger
     *         the directory given
     */
    @Option(names = "--ledger", paramLabel = "DIR", hidden = true)
    void ledger(final Path ledger) {
        Path parent = ledger.toAbsolutePath().normalize().getParent();
        throw new CommandLine.ParameterException(mixee.commandLine(), ("--ledger is no longer supported: it moved the "
                + "ledger alone, while the artifacts, evidence and backups its points name stayed in the home "
                + "directory; use --home DIR instead (the ledger is DIR/ledger%s)").formatted(
                ledger.getFileName() != null && ledger.getFileName().toString().equals("ledger") && parent != null
                        ? ", so --home " + parent + " for this one" : ""));
    }

    /**
     * The home directory when {@code --home} is not given.
     *
     * @param environment
     *         the process environment
     * @param userHome
     *         the JVM's {@code user.home}, used only when {@code HOME} is not set
     * @return {@code $ROLLBACK_GUARD_HOME}, else {@code $HOME/.rollback-guard}
     */
    static Path defaultHome(final Map<String, String> environment, final String userHome) {
        String explicit = environment.get(HOME_VARIABLE);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath();
        }
        // $HOME, not user.home: the JVM reads the password database, which differs under sudo, in containers
        // started with another HOME, and for a user whose HOME was changed on purpose.
        String userDirectory = environment.get("HOME");
        return Path.of(userDirectory != null && !userDirectory.isBlank() ? userDirectory : userHome, ".rollback-guard")
                .toAbsolutePath();
    }

    /** @return the home directory of rollback-guard (ledger, artifacts, backups beneath it) */
    Path home() {
        Path chosen = home != null ? home.toAbsolutePath() : defaultHome(System.getenv(), System.getProperty("user.home"));
        if (Files.exists(chosen) && !Files.isDirectory(chosen)) {
            String source = home != null ? "--home" : System.getenv(HOME_VARIABLE) != null ? HOME_VARIABLE : "$HOME/.rollback-guard";
            throw new IllegalArgumentException(("%s: '%s' is a file, not a directory: name a directory (it is created "
                    + "if missing)").formatted(source, chosen));
        }
        return chosen;
    }

    /** @return the ledger directory, {@code ledger/} in the home */
    Path directory() {
        return home().resolve("ledger");
    }

    /**
     * The home's defaults for what a policy and its probes leave unset: {@code defaults.yaml} in the home directory.
     *
     * @return its defaults, none when the home has no such file
     * @throws io.jenkins.plugins.rollbackguard.engine.guard.PolicyException
     *         naming the file, the field, the value and the fix
     */
    HostDefaults defaults() {
        return DefaultsFile.read(home());
    }

    /** @return a policy reader that lays the home's {@code defaults.yaml} between the policy and the engine */
    PolicyReader policyReader() {
        return new PolicyReader(defaults());
    }

    /** @return the opened ledger */
    Ledger open() {
        return Ledger.open(directory());
    }
}
