package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.File;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.CommandBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.FilesBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/**
 * Preflight's checks of the programs and files a policy names: the program of every command probe, command backup,
 * hook and {@code dataVersion.command} exists and is executable (nothing is run), {@code pg_dump} or the dump program
 * is installed, and every {@code files} backup's source can be read. They run where those programs run: in this
 * process for the command line, on the build's agent in Jenkins (the result crosses the channel, so it is
 * {@link Serializable} and holds only strings).
 */
public final class FileChecks {
    private FileChecks() {
    }

    /**
     * What the checks found.
     *
     * @param problems
     *         problems that refuse the deploy, each naming the field, the value and the fix
     * @param backupProblems
     *         problems of backups, which the policy may turn into warnings ({@code onBackupFailure: warn})
     */
    public record Result(List<String> problems, List<String> backupProblems) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Copies the lists. */
        public Result {
            problems = List.copyOf(problems);
            backupProblems = List.copyOf(backupProblems);
        }
    }

    /**
     * Checks the policy's programs and files here.
     *
     * @param policy
     *         the policy
     * @param searchPath
     *         the PATH commands run with (the build's, on an agent), or null for none
     * @return the problems found
     */
    public static Result check(final Policy policy, final String searchPath) {
        return check(policy, program -> problem(program, searchPath));
    }

    /**
     * The problems of a host with nowhere to run programs (a Pipeline guard outside {@code node}): every program the
     * policy names is one.
     *
     * @param policy
     *         the policy
     * @param why
     *         what to say of each, with the fix
     * @return the problems
     */
    public static Result nowhere(final Policy policy, final String why) {
        return check(policy, program -> Optional.of(why));
    }

    private static Result check(final Policy policy, final Function<String, Optional<String>> programCheck) {
        List<String> problems = new ArrayList<>();
        List<ProbeSpec> probes = policy.probes();
        for (int i = 0; i < probes.size(); i++) {
            if (probes.get(i) instanceof CommandProbeSpec command) {
                program(problems, "probes[%d].command".formatted(i), command.command().get(0), programCheck);
            }
        }
        hooks(problems, "hooks.beforeRevert", policy.hooks().beforeRevert(), programCheck);
        hooks(problems, "hooks.afterRevert", policy.hooks().afterRevert(), programCheck);
        if (policy.dataVersion() != null && policy.dataVersion().command() != null) {
            program(problems, "dataVersion.command", policy.dataVersion().command().get(0), programCheck);
        }
        if (policy.evidence() != null && policy.evidence().command() != null) {
            program(problems, "evidence.command", policy.evidence().command().get(0), programCheck);
        }
        List<String> backupProblems = new ArrayList<>();
        List<BackupSpec> backups = policy.backups();
        for (int i = 0; i < backups.size(); i++) {
            backup(backupProblems, "backups[%d]".formatted(i), backups.get(i), programCheck);
        }
        return new Result(problems, backupProblems);
    }

    private static void backup(final List<String> problems, final String at, final BackupSpec spec,
                               final Function<String, Optional<String>> programCheck) {
        if (spec instanceof FilesBackupSpec files) {
            Path path = Path.of(files.path());
            if (!Files.exists(path)) {
                problems.add("%s.path: '%s' does not exist; correct the path or create it".formatted(at,
                        Preflight.shorten(files.path())));
            }
            else if (!Files.isReadable(path)) {
                problems.add("%s.path: '%s' cannot be read by this user".formatted(at, Preflight.shorten(files.path())));
            }
        }
        else if (spec instanceof CommandBackupSpec command) {
            program(problems, at + ".command", command.command().get(0), programCheck);
            if (command.restoreCommand() != null && !command.restoreCommand().isEmpty()) {
                program(problems, at + ".restoreCommand", command.restoreCommand().get(0), programCheck);
            }
        }
        else if (spec instanceof PostgresBackupSpec postgres) {
            program(problems, postgres.binDir() == null ? at + " (pg_dump on the PATH)" : at + ".binDir",
                    postgres.binDir() == null ? "pg_dump" : Path.of(postgres.binDir(), "pg_dump").toString(), programCheck);
        }
        else if (spec instanceof MysqlBackupSpec mysql) {
            program(problems, at + ".dumpProgram", mysql.dumpProgram(), programCheck);
        }
    }

    private static void hooks(final List<String> problems, final String at, final List<HooksSpec.HookCommand> hooks,
                              final Function<String, Optional<String>> programCheck) {
        for (int i = 0; i < hooks.size(); i++) {
            program(problems, "%s[%d].command".formatted(at, i), hooks.get(i).command().get(0), programCheck);
        }
    }

    private static void program(final List<String> problems, final String field, final String program,
                                final Function<String, Optional<String>> programCheck) {
        programCheck.apply(program).ifPresent(problem -> problems.add("%s: '%s' %s".formatted(field,
                Preflight.shorten(program), problem)));
    }

    /**
     * Tells why a program cannot be run, if it cannot: a path as given, a bare name on the search path.
     *
     * @param program
     *         the program as the policy names it
     * @param searchPath
     *         the PATH it is looked up on, or null
     * @return the problem, or empty when it can be run
     */
    static Optional<String> problem(final String program, final String searchPath) {
        if (program == null || program.isBlank()) {
            return Optional.of("is empty; name the program to run");
        }
        if (program.indexOf('/') >= 0 || program.indexOf('\\') >= 0) {
            Path path = Path.of(program);
            if (!Files.exists(path)) {
                return Optional.of("does not exist; correct the path or install it");
            }
            if (Files.isDirectory(path) || !Files.isExecutable(path)) {
                return Optional.of("is not an executable file; chmod +x it or correct the path");
            }
            return Optional.empty();
        }
        if (searchPath != null) {
            for (String dir : searchPath.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Path candidate = Path.of(dir, program);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.of("is not on the PATH; install it or give its full path");
    }
}
