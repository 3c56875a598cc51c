package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.*;

/** Tests the class {@link SecretFiles} in this process and in real child processes that exit or are killed. */
class SecretFilesTest {
    @TempDir
    private Path temp;

    @Test
    void shouldWriteIntoAPrivateDirectoryAndDeleteOnClose() throws IOException {
        Path path;
        try (SecretFiles.SecretFile file = SecretFiles.write(".cnf", "password=x")) {
            path = file.path();
            assertThat(path).hasContent("password=x");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())))
                    .isEqualTo("rwx------");
            assertThat(path.getParent().getFileName().toString())
                    .isEqualTo("rollback-guard-secrets-" + ProcessHandle.current().pid());
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void shouldOwnOnlyItsOwnSecretFilesWhileTheyExist() throws IOException {
        Path elsewhere = Files.writeString(temp.resolve("x.cnf"), "password=x");
        Path path;
        try (SecretFiles.SecretFile file = SecretFiles.write(".cnf", "password=x")) {
            path = file.path();
            assertThat(SecretFiles.owns(path.toString())).isTrue();
            assertThat(SecretFiles.owns(elsewhere.toString())).as("a file outside the private directory").isFalse();
            assertThat(SecretFiles.owns(path.getParent().resolve("missing.cnf").toString())).isFalse();
            assertThat(SecretFiles.owns("--defaults-extra-file=" + path)).as("the value, not the option").isFalse();
            assertThat(SecretFiles.owns("")).isFalse();
        }
        assertThat(SecretFiles.owns(path.toString())).as("deleted on close").isFalse();
    }

    @Test
    void shouldSweepTheDirectoryOfAProcessKilledWithItsFileOpen() throws Exception {
        Process holder = SecretFileHolder.start(temp, "wait");
        Path file = Path.of(firstLine(holder));
        assertThat(file).as("written by the child").exists().startsWith(temp);

        holder.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(file).as("a kill leaves the file").exists();
        Files.createDirectory(temp.resolve("rollback-guard-secrets-" + ProcessHandle.current().pid() + "0notapid"));

        assertThat(SecretFiles.sweep(temp)).isEqualTo(1);
        assertThat(file.getParent()).doesNotExist();
        assertThat(SecretFiles.sweep(temp)).isZero();
    }

    @Test
    void shouldRemoveTheDirectoryWhenTheProcessExits() throws Exception {
        Process holder = SecretFileHolder.start(temp, "exit");
        Path file = Path.of(firstLine(holder));

        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(file.getParent()).doesNotExist();
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("rollback-guard-secrets-"))).isEmpty();
        }
    }

    private static String firstLine(final Process process) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        assertThat(line).as("the child's output").isNotNull();
        return line;
    }
}
