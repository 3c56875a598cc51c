package io.jenkins.plugins.rollbackguard.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretFiles;

/**
 * The engine's secret files (a MariaDB client's defaults file, written on the controller) reach the command where it
 * runs: a copy in the workspace's {@code @tmp}, named in the argument instead of the controller's path, deleted when
 * the command ends. A real local launcher and a real process; never run here (Jenkins core is not on the CI classpath),
 * its engine twin is {@code SecretFilesTest#shouldOwnOnlyItsOwnSecretFilesWhileTheyExist}.
 */
class LauncherCommandRunnerITest {
    @TempDir
    private Path temp;

    @Test
    void shouldCarryASecretFileIntoTheWorkspacesTempDirectoryForTheCommandsLife() throws Exception {
        FilePath workspace = new FilePath(Files.createDirectories(temp.resolve("ws")).toFile());
        LauncherCommandRunner runner = new LauncherCommandRunner(new Launcher.LocalLauncher(TaskListener.NULL),
                new EnvVars(), workspace, TaskListener.NULL);
        try (SecretFiles.SecretFile secret = SecretFiles.write(".cnf", "[client]\npassword=\"s3cret\"\n")) {
            CommandResult result = runner.run(CommandRequest.of(Duration.ofSeconds(30), "sh", "-c",
                    "f=\"${0#*=}\"; echo \"$f\"; cat \"$f\"", "--defaults-extra-file=" + secret.path()));

            assertThat(result.exitCode()).as(result.summary()).isZero();
            String shown = result.stdout().lines().findFirst().orElseThrow();
            assertThat(shown).startsWith(WorkspaceList.tempDir(workspace).getRemote()).doesNotContain(
                    secret.path().getParent().toString());
            assertThat(result.stdout()).contains("password=\"s3cret\"");
            assertThat(Path.of(shown)).as("deleted when the command ended").doesNotExist();
            assertThat(secret.path()).as("the engine's own file is the engine's to delete").exists();
        }
    }
}
