package io.jenkins.plugins.rollbackguard.jenkins;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandException;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.Masker;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretFiles;

/**
 * The engine's {@link CommandRunner} on the step's {@link Launcher}, so that wrappers such as {@code docker.inside}
 * apply: the environment is the step's plus the request's; secret values are masked in the echoed command line
 * and in the captured output. Used by the Pipeline step and the freestyle actions alike. Blocking: call it from
 * the {@link SamplePool} or a build's own thread, never from the CPS thread.
 */
public class LauncherCommandRunner implements CommandRunner {
    private final Launcher launcher;
    private final EnvVars environment;
    @CheckForNull
    private final FilePath workspace;
    private final TaskListener listener;

    /**
     * Creates the runner.
     *
     * @param launcher
     *         the step context's launcher
     * @param environment
     *         the step context's environment
     * @param workspace
     *         the working directory for relative requests, or null outside {@code node}
     * @param listener
     *         the build log, for the launcher's own messages
     */
    public LauncherCommandRunner(final Launcher launcher, final EnvVars environment,
                                 @CheckForNull final FilePath workspace, final TaskListener listener) {
        this.launcher = launcher;
        this.environment = environment;
        this.workspace = workspace;
        this.listener = listener;
    }

    @Override
    public CommandResult run(final CommandRequest request) {
        Masker masker = request.masker();
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(request.environment());
        request.secretEnvironment().forEach((name, secret) -> env.put(name, secret.reveal()));
        Capped out = new Capped(request.outputLimit());
        Capped err = new Capped(request.outputLimit());
        Instant start = Instant.now();
        List<FilePath> carried = new ArrayList<>();
        try (OutputStream stdout = request.stdoutFile() == null ? out : stdoutFile(request.stdoutFile())) {
            List<String> command = carrySecretFiles(request.command(), carried);
            Launcher.ProcStarter starter = launcher.launch().cmds(command).masks(masks(command, masker))
                    .envs(env).stdout(stdout).stderr(err).quiet(true);
            FilePath dir = directory(request.workingDirectory());
            if (dir != null) {
                starter.pwd(dir);
            }
            int code = starter.start().joinWithTimeout(request.timeout().toMillis(), TimeUnit.MILLISECONDS, listener);
            Duration took = Duration.between(start, Instant.now());
            boolean timedOut = took.compareTo(request.timeout()) >= 0;
            return new CommandResult(code, masker.mask(out.text()), masker.mask(err.text()), took, timedOut);
        }
        catch (IOException e) { // could not be started or waited for: the runner's contract says throw
            throw new CommandException(masker.mask("cannot run %s: %s".formatted(request.describe(), e.getMessage())),
                    e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while running " + request.describe(), e);
        }
        finally {
            carried.forEach(LauncherCommandRunner::deleteQuietly);
        }
    }

    /**
     * Carries the engine's secret files (a MariaDB/MySQL client's defaults file with the password, written by
     * {@code SecretFiles} in this JVM's temporary directory, on the controller) to where the command runs: the
     * workspace's {@code @tmp} sibling ({@link WorkspaceList#tempDir}, where credentials-binding puts its files too,
     * and which {@code docker.inside} mounts), as a 0600 temporary file deleted when the command ends. Without it the
     * client on an agent or in a container was handed a path that exists only on the controller and failed: a MySQL
     * data head, a dump before a restore and the restore itself could not run there.
     */
    private List<String> carrySecretFiles(final List<String> command, final List<FilePath> carried)
            throws IOException, InterruptedException {
        if (workspace == null) {
            return command;
        }
        List<String> result = new ArrayList<>(command.size());
        for (String arg : command) {
            int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String value = equals < 0 ? arg : arg.substring(equals + 1);
            if (!SecretFiles.owns(value)) {
                result.add(arg);
                continue;
            }
            FilePath dir = WorkspaceList.tempDir(workspace);
            if (dir == null) {
                result.add(arg);
                continue;
            }
            dir.mkdirs();
            String name = java.nio.file.Path.of(value).getFileName().toString();
            FilePath copy = dir.createTempFile("rollback-guard-", name.substring(Math.max(0, name.lastIndexOf('.'))));
            carried.add(copy);
            copy.chmod(0600); // java.io.File.createTempFile leaves the umask's mode: restricted before the secret
            copy.write(java.nio.file.Files.readString(java.nio.file.Path.of(value), StandardCharsets.UTF_8), "UTF-8");
            result.add(equals < 0 ? copy.getRemote() : arg.substring(0, equals + 1) + copy.getRemote());
        }
        return result;
    }

    private static void deleteQuietly(final FilePath file) {
        try {
            file.delete();
        }
        catch (IOException e) {
            java.util.logging.Logger.getLogger(LauncherCommandRunner.class.getName()).log(java.util.logging.Level.WARNING,
                    "cannot delete the client settings file {0} on the agent", file.getRemote());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private OutputStream stdoutFile(final String file) throws IOException {
        try {
            return new FilePath(launcher.getChannel(), file).write();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening " + file, e);
        }
    }

    @CheckForNull
    private FilePath directory(@CheckForNull final String requested) {
        if (requested == null) {
            return workspace;
        }
        return workspace == null ? new FilePath(launcher.getChannel(), requested) : workspace.child(requested);
    }

    private static boolean[] masks(final List<String> command, final Masker masker) {
        boolean[] masks = new boolean[command.size()];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = !command.get(i).equals(masker.mask(command.get(i)));
        }
        return masks;
    }

    /** Keeps at most a limit of bytes; the rest is dropped. */
    private static final class Capped extends ByteArrayOutputStream {
        private final int limit;

        Capped(final int limit) {
            super();
            this.limit = limit;
        }

        @Override
        public synchronized void write(final int b) {
            if (count < limit) {
                super.write(b);
            }
        }

        @Override
        public synchronized void write(final byte[] b, final int off, final int len) {
            super.write(b, off, Math.max(0, Math.min(len, limit - count)));
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }
}
