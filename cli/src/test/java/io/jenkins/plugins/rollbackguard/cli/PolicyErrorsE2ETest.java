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
}
