package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.*;

/** {@code rollback-guard backup trust} on a backup written before its store had a key, through the real jar. */
class BackupTrustE2ETest {
    private static final Pattern ID = Pattern.compile("(\\d{8}T\\d{6}Z-[0-9a-f]{8}) FILES");

    @TempDir
    private Path work;

    @Test
    void shouldRefuseAnUnsealedBackupUntilItIsTrusted() throws IOException {
        Path shop = Files.createDirectories(work.resolve("shop"));
        Files.writeString(shop.resolve("orders.csv"), "1,alice\n");
        Path policy = Files.writeString(work.resolve("policy.yaml"), """
                environment: prod
                backups:
                  - type: files
                    path: %s
                """.formatted(shop));
        Path home = work.resolve("home");
        CliProcess cli = new CliProcess(home);

        CliProcess.Result taken = cli.run("backup", "--policy", policy.toString());
        assertThat(taken.exit()).as(taken.output()).isZero();
        Matcher id = ID.matcher(taken.output());
        assertThat(id.find()).as(taken.output()).isTrue();
        String backup = id.group(1);
        unseal(home.resolve("backups"));

        Path target = work.resolve("restored");
        CliProcess.Result refused = cli.run("restore", "--env", "prod", "--backup", backup, "--to-dir", target.toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("has no seal of this store")
                .contains("rollback-guard backup trust --env prod --backup " + backup).doesNotContain("Exception");
        assertThat(target).doesNotExist();

        CliProcess.Result trusted = cli.run("backup", "trust", "--env", "prod", "--backup", backup);
        assertThat(trusted.exit()).as(trusted.output()).isZero();
        assertThat(trusted.output()).contains("sealed backup " + backup).contains(shop.toString());

        CliProcess.Result restored = cli.run("restore", "--env", "prod", "--backup", backup, "--to-dir", target.toString());
        assertThat(restored.exit()).as(restored.output()).isZero();
        assertThat(target.resolve("orders.csv")).hasContent("1,alice\n");
    }

    /** As a store written before manifests were sealed: no key, no seals. */
    private static void unseal(final Path store) throws IOException {
        Files.delete(store.resolve("store.key"));
        try (Stream<Path> files = Files.walk(store)) {
            for (Path seal : files.filter(f -> f.getFileName().toString().equals("manifest.sig")).toList()) {
                Files.delete(seal);
            }
        }
    }
}
