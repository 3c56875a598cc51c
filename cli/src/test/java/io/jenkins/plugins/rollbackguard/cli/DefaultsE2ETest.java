package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The home's defaults.yaml through the packaged CLI (bin/rollback-guard), the home given as {@code $ROLLBACK_GUARD_HOME}:
 * {@code validate --explain} names it as the origin of what the policy and its probes leave unset, and a deploy
 * watches with its values.
 */
class DefaultsE2ETest {
    private static final String POLICY = """
            environment: staging
            probes:
              - {type: command, name: alive, command: [true]}
              - {type: command, name: counted, command: [true], analysis: {count: 2, interval: 100ms}}
            """;

    @TempDir
    private Path work;

    @Test
    void shouldExplainAndDeployWithTheHomesDefaults() throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        Files.writeString(home.resolve("defaults.yaml"), "interval: 200ms\nduration: 600ms\nconsecutiveErrorLimit: 1\n"
                + "cooldown: 2m\n");
        Path policy = Files.writeString(work.resolve("policy.yaml"), POLICY);
        Path artifact = Files.writeString(work.resolve("app.txt"), "v1");
        CliProcess cli = new CliProcess(home);
        String origin = "defaults.yaml (" + home.resolve("defaults.yaml") + ")";

        CliProcess.Result explained = cli.run("validate", "--policy", policy.toString(), "--explain");
        CliProcess.Result deployed = cli.run("deploy", "--policy", policy.toString(), "--artifact", artifact.toString(),
                "--", "true");

        assertThat(explained.exit()).as(explained.output()).isZero();
        assertThat(explained.output().substring(0, explained.output().indexOf("probe alive:")))
                .contains("cooldown  2m     " + origin).contains("keepGood  5      engine default");
        String alive = explained.output().substring(explained.output().indexOf("probe alive:"),
                explained.output().indexOf("probe counted:"));
        String counted = explained.output().substring(explained.output().indexOf("probe counted:"));
        assertThat(alive).contains("interval                 200ms         " + origin)
                .contains("duration                 600ms         " + origin)
                .contains("consecutiveErrorLimit    1             " + origin);
        assertThat(counted).contains("interval                 100ms         policy")
                .contains("count                    2             policy")
                .as("no host duration over a count").contains("duration                 none          engine default");
        assertThat(deployed.exit()).as(deployed.output()).isZero();
        assertThat(deployed.output()).contains("GOOD");
    }

    @Test
    void shouldRefuseABadDefaultsFileInOneSentence() throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        Files.writeString(home.resolve("defaults.yaml"), "interval: 30s\nfailureLimit: many\n");
        Path policy = Files.writeString(work.resolve("policy.yaml"), POLICY);

        CliProcess.Result result = new CliProcess(home).run("validate", "--policy", policy.toString());

        assertThat(result.exit()).isEqualTo(ExitCodes.DATA);
        assertThat(result.output().strip()).isEqualTo("rollback-guard: " + home.resolve("defaults.yaml")
                + ": failureLimit: 'many' is not a whole number; give 0 or more");
    }
}
