package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Policy files with errors, through the packaged CLI: each error names the field. */
class PolicyErrorsE2ETest {
    @TempDir
    private Path work;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "environment: prod\\nonTrpi: rollback|unknown field 'onTrpi'",
        "environment: ../etc|environment: '../etc' is not a valid name",
        "environment: prod\\nkeepGood: five|keepGood: 'five' is not a valid whole number",
        "environment: prod\\nkeepGood: 0|keepGood: must be at least 1",
        "environment: prod\\nonTrip: explode|onTrip: 'explode' is not a valid value (one of rollback | freeze | fail)",
        "environment: prod\\ncooldown: soon|cooldown",
        "environment: prod\\nprobes: [{type: http, name: api, url: 'ftp://x', failIf: '> 1'}]|probes[0]",
        "environment: prod\\nprobes: [{type: http, name: api, url: 'http://x', failIf: '>> 5'}]|failIf",
        "environment: prod\\nprobes: [{type: smoke, name: api}]|probes[0]",
        "environment: prod\\nbackups: [{type: postgres, database: shop, password: hunter2}]|backups[0]",
        "probes: []|environment: is required",
        "environment: prod\\nprobes: [{type: http, name: api, url: 'http://x', auth: {bearerSecret: 'Bearer hunter2'}}]|probes[0].auth: bearerSecret: expects the name of a secret",
        "environment: prod\\nnotifications: [{url: 'http://x', tokenSecret: 'xoxb hunter2'}]|tokenSecret: expects the name of a secret",
        "environment: prod\\nhooks: {beforeRevert: [{command: [x], secretEnvironment: {T: 'hunter2!'}}]}|secretEnvironment.T: expects the name of a secret",
    })
    void shouldNameTheFieldOfEachError(final String yaml, final String expected) throws Exception {
        Path policy = work.resolve("policy.yaml");
        Files.writeString(policy, yaml.replace("\\n", "\n"));
        Path artifact = Files.writeString(work.resolve("a.txt"), "x");

        CliProcess.Result result = new CliProcess(work.resolve("home")).run("deploy", "--policy", policy.toString(),
                "--artifact", artifact.toString(), "--", "true");

        assertThat(result.exit()).as(result.output()).isIn(ExitCodes.DATA, ExitCodes.USAGE);
        assertThat(result.output()).contains(policy.toString()).contains(expected).doesNotContain("hunter2");
    }

    /**
     * A token pasted where its name belongs is a valid name by syntax: preflight finds no secret of that name, says
     * so without repeating it, and nothing is recorded. A {@code -p} argument without a name is not repeated either.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "probes: [{type: http, name: api, url: 'http://127.0.0.1:1/', auth: {bearerSecret: hunter2Hunter2xK9}}]|x|probes[0].auth.bearerSecret: expects the name of a secret",
        "backups: [{type: postgres, host: 127.0.0.1, database: shop, user: app, passwordSecret: hunter2-7Qz9x1}]|x|backups[0].passwordSecret: expects the name of a secret",
        "notifications: [{url: 'http://127.0.0.1:1/', tokenSecret: xoxb-1234-hunter2Abcdefgh}]|x|notifications[0].tokenSecret: expects the name of a secret",
        "probes: []|hunter2secret|-p: expects NAME=VALUE",
    })
    void shouldNotEchoASecretGivenWhereItsNameBelongs(final String yaml, final String parameter, final String expected)
            throws Exception {
        Path policy = Files.writeString(work.resolve("policy.yaml"), "environment: prod\n" + yaml);
        Path artifact = Files.writeString(work.resolve("a.txt"), "x");

        CliProcess.Result result = new CliProcess(work.resolve("home")).run("deploy", "--policy", policy.toString(),
                "--artifact", artifact.toString(), "-p", parameter.equals("x") ? "version=1" : parameter, "--", "true");

        // a secret that is not there is found by preflight (exit 3, the policy cannot run); a bad -p is usage
        assertThat(result.exit()).as(result.output()).isEqualTo(parameter.equals("x") ? ExitCodes.DATA : ExitCodes.USAGE);
        assertThat(result.output()).contains(expected).doesNotContain("hunter2");
        assertThat(work.resolve("home/ledger/prod")).as("nothing recorded").doesNotExist();
    }
}
