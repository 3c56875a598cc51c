package io.jenkins.plugins.rollbackguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * Tests {@code rollback-guard validate --explain} in this JVM: the policy's effective cooldown and keepGood and each
 * probe's effective analysis values, and where each came from, the policy, the home's {@code defaults.yaml} or the
 * engine; and a bad {@code defaults.yaml} refused in one sentence.
 */
class ValidateExplainTest {
    private static final String POLICY = """
            environment: staging
            keepGood: 3
            probes:
              - type: command
                name: queue
                command: [true]
                analysis: {interval: 2s, window: {n: 3, m: 5}}
              - {type: command, name: disk, command: [true]}
            """;

    @TempDir
    private Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(final String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = RollbackGuardCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path home(final String defaults) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        if (defaults != null) {
            Files.writeString(home.resolve("defaults.yaml"), defaults);
        }
        Files.writeString(dir.resolve("policy.yaml"), POLICY);
        return home;
    }

    @Test
    void shouldTellWhereEachValueCameFrom() throws IOException {
        Path home = home("interval: 30s\nfailureLimit: 2\ncooldown: 1h\nkeepGood: 9\n");
        String fromFile = "defaults.yaml (" + home.resolve("defaults.yaml") + ")";

        Run run = run("validate", "--home", home.toString(), "--policy", dir.resolve("policy.yaml").toString(),
                "--explain");

        assertThat(run.exit()).as(run.err()).isZero();
        String own = run.out().substring(run.out().indexOf("policy:"), run.out().indexOf("probe queue:"));
        assertThat(own.lines()).anyMatch(l -> l.matches("\\s+cooldown\\s+1h\\s+" + java.util.regex.Pattern.quote(fromFile)))
                .as("the policy's keepGood over the home's").anyMatch(l -> l.matches("\\s+keepGood\\s+3\\s+policy"));
        String queue = run.out().substring(run.out().indexOf("probe queue:"), run.out().indexOf("probe disk:"));
        String disk = run.out().substring(run.out().indexOf("probe disk:"));
        assertThat(queue.lines()).anyMatch(l -> l.matches("\\s+interval\\s+2s\\s+policy"))
                .anyMatch(l -> l.matches("\\s+window\\s+3 of 5\\s+policy"))
                .as("a host's failureLimit is not laid over a window")
                .anyMatch(l -> l.matches("\\s+failureLimit\\s+none\\s+engine default"));
        assertThat(disk.lines()).anyMatch(l -> l.matches("\\s+interval\\s+30s\\s+" + java.util.regex.Pattern.quote(fromFile)))
                .anyMatch(l -> l.matches("\\s+failureLimit\\s+2\\s+" + java.util.regex.Pattern.quote(fromFile)))
                .anyMatch(l -> l.matches("\\s+duration\\s+5m\\s+engine default"))
                .anyMatch(l -> l.matches("\\s+baselineSamples\\s+5\\s+engine default"));
        assertThat(run.out()).contains("the policy of 'staging' can run: 2 probe(s)");
        assertThat(Files.exists(home.resolve("ledger"))).as("validate records nothing").isFalse();
    }

    @Test
    void shouldExplainTheEnginesCooldownWithoutDefaultsFile() throws IOException {
        Path home = home(null);

        Run run = run("validate", "--home", home.toString(), "--policy", dir.resolve("policy.yaml").toString(),
                "--explain");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("policy:\n");
        assertThat(run.out().lines()).anyMatch(l -> l.matches("\\s+cooldown\\s+15m\\s+engine default"))
                .anyMatch(l -> l.matches("\\s+keepGood\\s+3\\s+policy"));
    }

    @Test
    void shouldExplainOnlyWhenAsked() throws IOException {
        Path home = home(null);

        Run run = run("validate", "--home", home.toString(), "--policy", dir.resolve("policy.yaml").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("probe queue:").contains("can run");
    }

    @Test
    void shouldRefuseABadDefaultsFileInOneSentence() throws IOException {
        Path home = home("interval: 30s\nwatch: 5m\n");

        Run run = run("validate", "--home", home.toString(), "--policy", dir.resolve("policy.yaml").toString(),
                "--explain");

        assertThat(run.exit()).isEqualTo(ExitCodes.DATA);
        assertThat(run.err().strip()).isEqualTo("rollback-guard: " + home.resolve("defaults.yaml") + ": watch: is not a"
                + " setting a host may default; the file takes interval, duration, failureLimit, consecutiveErrorLimit,"
                + " cooldown, keepGood, and every other setting belongs in the policy");
        assertThat(run.out()).isEmpty();
    }

    /**
     * docs/policy.md shows the explanation of a policy with a windowed probe under a full defaults.yaml: it is what the
     * CLI prints, from its first line.
     */
    @Test
    void shouldPrintTheExplanationTheDocsShow() throws IOException {
        Path home = Files.createDirectories(dir.resolve("ops"));
        Files.writeString(home.resolve("defaults.yaml"), "interval: 30s\nduration: 10m\nfailureLimit: 2\n"
                + "consecutiveErrorLimit: 7\ncooldown: 1h\nkeepGood: 7\n");
        Files.writeString(dir.resolve("shop.yaml"), """
                environment: staging
                keepGood: 10
                probes:
                  - type: http
                    name: checkout
                    url: https://shop.example/api/stats
                    jsonPointer: /error_rate
                    failIf: "> 5%"
                    analysis: {window: {n: 3, m: 5}}
                """);
        String docs = Files.readString(DocsErrorMessagesTest.ProjectRoot.locate().resolve("docs/policy.md"));
        int start = docs.indexOf("```text\npolicy:\n") + "```text\n".length();
        String shown = docs.substring(start, docs.indexOf("```", start));
        assertThat(shown).contains("probe checkout:");

        Run run = run("validate", "--home", home.toString(), "--policy", dir.resolve("shop.yaml").toString(), "--explain");

        assertThat(run.out().replace(home.toString(), "/home/ops/.rollback-guard")).startsWith(shown);
    }
}
