package io.jenkins.plugins.rollbackguard.freestyle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import hudson.FilePath;
import hudson.Launcher;
import hudson.model.TaskListener;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandException;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.Masker;

/**
 * Runs the engine's commands (command probes, hooks, the data-version command, database dumps) with the build's
 * {@link Launcher}, so that they run where the build runs, never in the controller's own process. Secrets go into
 * the environment and are masked in what comes back.
 */
class LauncherCommandRunner implements CommandRunner {
    private final Launcher launcher;
    private final FilePath workspace;
    private final TaskListener listener;

    LauncherCommandRunner(final Launcher launcher, final FilePath workspace, final TaskListener listener) {
        this.launcher = launcher;
        this.workspace = workspace;
        this.listener = listener;
    }

    @Override
    public CommandResult run(final CommandRequest request) {
        Masker masker = request.masker();
        Map<String, String> env = new LinkedHashMap<>(request.environment());
        request.secretEnvironment().forEach((name, secret) -> env.put(name, secret.reveal()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Instant start = Instant.now();
        try (OutputStream out = stdout(request)) {
            FilePath pwd = request.workingDirectory() == null ? workspace : workspace.child(request.workingDirectory());
            int code = launcher.launch().cmds(new ArrayList<>(request.command())).envs(env).pwd(pwd)
                    .stdout(out).stderr(err).quiet(true).start()
                    .joinWithTimeout(request.timeout().toMillis(), TimeUnit.MILLISECONDS, listener);
            Duration took = Duration.between(start, Instant.now());
            boolean timedOut = took.compareTo(request.timeout()) >= 0;
            String stdout = out instanceof ByteArrayOutputStream captured ? text(captured, request, masker) : "";
            return new CommandResult(code, stdout, text(err, request, masker), took, timedOut);
        }
        catch (IOException e) {
            throw new CommandException(masker.mask("cannot run " + request.describe() + ": " + e.getMessage()), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while running " + request.describe(), e);
        }
    }

    private OutputStream stdout(final CommandRequest request) throws IOException {
        if (request.stdoutFile() == null) {
            return new ByteArrayOutputStream();
        }
        try {
            return workspace.child(request.stdoutFile()).write();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening " + request.stdoutFile(), e);
        }
    }

    private static String text(final ByteArrayOutputStream bytes, final CommandRequest request, final Masker masker) {
        String text = bytes.toString(StandardCharsets.UTF_8);
        if (text.length() > request.outputLimit()) {
            text = text.substring(0, request.outputLimit());
        }
        return masker.mask(text);
    }
}
