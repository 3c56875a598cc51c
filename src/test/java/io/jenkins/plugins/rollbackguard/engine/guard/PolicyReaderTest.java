package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jenkins.plugins.rollbackguard.engine.backup.FilesBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;

/** Tests the class {@link PolicyReader}: one schema in YAML and JSON, defaults, errors naming the field. */
class PolicyReaderTest {
    private static final String YAML = """
            environment: production
            probes:
              - type: http
                name: checkout
                url: https://shop.example/api/stats
                jsonPointer: /error_rate
                failIf: "> 5%"
            backups:
              - type: files
                path: /srv/shop/uploads
            onTrip: freeze
            cooldown: 30m
            dataVersion: {command: [cat, /srv/shop/SCHEMA_VERSION]}
            hooks:
              beforeRevert: [{name: pause-sync, command: [systemctl, stop, stock-sync]}]
            notifications: [{url: "https://hooks.example/T1", events: [TRIP, FREEZE]}]
            """;

    @Test
    void shouldReadYamlWithDefaults() {
        Policy policy = new PolicyReader().parse("p.yaml", YAML);

        assertThat(policy.environment().value()).isEqualTo("production");
        assertThat(policy.probes()).singleElement().isInstanceOfSatisfying(HttpProbeSpec.class,
                p -> assertThat(p.failIf()).isEqualTo("> 5%"));
        assertThat(policy.backups()).singleElement().isInstanceOf(FilesBackupSpec.class);
        assertThat(policy.onTrip()).isEqualTo(Policy.OnTrip.FREEZE);
        assertThat(policy.onInconclusive()).isEqualTo(Policy.OnInconclusive.HOLD);
        assertThat(policy.keepGood()).isEqualTo(5);
        assertThat(policy.cooldownDuration().toMinutes()).isEqualTo(30);
        assertThat(policy.hooks().beforeRevert()).singleElement().extracting(HooksSpec.HookCommand::name).isEqualTo("pause-sync");
        assertThat(policy.notifications()).singleElement().extracting(NotificationSpec::eventList)
                .asList().containsExactly(GuardEvent.Type.TRIP, GuardEvent.Type.FREEZE);
    }

    @Test
    void shouldReadTheSamePolicyFromJsonItWrote() throws Exception {
        PolicyReader reader = new PolicyReader();
        Policy yaml = reader.parse("p.yaml", YAML);
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                reader.mapper().convertValue(yaml, Object.class));

        assertThat(reader.parse("p.json", json)).isEqualTo(yaml);
    }

    /** A YAML error quotes the line it found: that line may hold a token pasted where its name belongs. */
    @org.junit.jupiter.api.Test
    void shouldNotQuoteTheLinesOfABrokenFile() {
        String yaml = "environment: prod\nprobes:\n  - {type: http, name: a, url: 'http://x', auth: {bearerSecret: \"tok-Hx7Qz91\"}\n";

        assertThatThrownBy(() -> new PolicyReader().parse("bad.yaml", yaml)).isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("bad.yaml: ").hasMessageContaining("(line 3, column").hasMessageNotContaining("tok-Hx7Qz91");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "environment: prod\\nonTrpi: rollback|onTrpi",
        "environment: prod\\nkeepGood: five|keepGood",
        "environment: prod\\nprobes: [{type: http, name: a, url: 'http://x'}, {type: http, name: a, url: 'http://y'}]|probes[1].name: 'a' is used twice",
        "environment: prod\\nnotifications: [{url: 'file:///etc/passwd'}]|notifications[0]",
        "environment: prod\\ndataVersion: {value: V1, command: [x]}|dataVersion: give one of",
        "environment: prod\\nallowDataRestore: .inf|allowDataRestore: '.inf' is not a boolean; write true or false",
        "environment: prod\\nhooks: {beforeRevert: [{name: h}]}|hooks",
        "environment: 'prod|not valid YAML at line 1",
        "environment: [prod]|environment: expected an environment name",
    })
    void shouldNameTheFieldOfEachError(final String yaml, final String expected) {
        assertThatThrownBy(() -> new PolicyReader().parse("bad.yaml", yaml.replace("\\n", "\n")))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("bad.yaml: ").hasMessageContaining(expected);
    }

    /** The hosts that read a policy from a stream (a Jenkins workspace, perhaps on an agent) stop after 1 MiB + 1 byte. */
    @Test
    void shouldRefuseAnEndlessStreamAfterReadingOneMebibyteAndAByte() {
        java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 'x';
            }
        };

        assertThatThrownBy(() -> new PolicyReader().read("ws/policy.yaml", endless))
                .hasMessage("ws/policy.yaml: the policy is larger than 1 MiB; a policy is a few kilobytes, so check that "
                        + "this is the policy file");
        assertThat(served.get()).isEqualTo(PolicyReader.MAX_BYTES + 1L);
    }

    /** A file over 1 MiB is refused from its first 1 MiB + 1 byte: a FIFO would never end, so it proves the bound. */
    @Test
    void shouldRefuseAFileOverOneMebibyteAfterReadingOneMebibyteAndAByte(@TempDir final Path dir) throws Exception {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "environment: prod\n# " + "x".repeat(PolicyReader.MAX_BYTES));
        Path exact = dir.resolve("exact.yaml");
        String head = "environment: prod\n# ";
        Files.writeString(exact, head + "x".repeat(PolicyReader.MAX_BYTES - head.length()));

        assertThatThrownBy(() -> new PolicyReader().read(big)).isInstanceOf(PolicyException.class)
                .hasMessage(big + ": the policy is larger than 1 MiB; a policy is a few kilobytes, so check that this is"
                        + " the policy file");
        assertThat(new PolicyReader().read(exact).environment().value()).isEqualTo("prod");
        Path fifo = dir.resolve("endless.yaml");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            Thread writer = new Thread(() -> {
                try (var out = Files.newOutputStream(fifo)) {
                    byte[] chunk = "# endless\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
                    while (true) {
                        out.write(chunk);
                    }
                }
                catch (IOException e) {
                    // the reader closed its end after 1 MiB + 1 byte: that is the point
                }
            });
            writer.setDaemon(true);
            writer.start();
            assertThatThrownBy(() -> new PolicyReader().read(fifo)).hasMessageContaining("larger than 1 MiB");
            writer.join(10_000);
            assertThat(writer.isAlive()).as("the writer saw the reader stop").isFalse();
        }
    }

    @Test
    void shouldNameAMissingFileAndBinaryDataWithoutJavaWords(@TempDir final Path dir) throws Exception {
        Path missing = dir.resolve("nope.yaml");
        Path binary = Files.write(dir.resolve("bin.yaml"), new byte[] {'e', 'n', (byte) 0xC3, 0x28, 0, 1});

        assertThatThrownBy(() -> new PolicyReader().read(missing))
                .hasMessage(missing + ": there is no such file; check the path given for the policy");
        assertThatThrownBy(() -> new PolicyReader().read(binary))
                .hasMessage(binary + ": the file is not UTF-8 text (a bad byte near byte 3); save it as UTF-8 text");
        assertThatThrownBy(() -> new PolicyReader().read(dir)).hasMessageContaining("this is a directory");
    }

    /** Cases as "source|text|expected": the text uses \\n for a line break. */
    private static final String[] REFUSALS = {
        "p.yaml|environment: prod\nenvironment: test|p.yaml: the key 'environment' is given twice at line 2, column 12; keep one of them",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, name: b, url: 'http://x'}]|the key 'name' is given twice",
        "p.json|{\"environment\": \"prod\", \"environment\": \"test\"}|p.json: the key 'environment' is given twice",
        "p.json|{\"environment\": \"prod\",}|p.json: not valid JSON at line 1",
        "p.json|{environment: prod}|p.json: not valid JSON at line 1",
        "p.json|// comment\n{\"environment\": \"prod\"}|p.json: not valid JSON at line 1",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, url: !!java.net.URL 'http://x'}]|probes[0].url (line 2): YAML tags (!name, !!name) are not supported; remove the tag",
        "p.yaml|environment: !custom prod|environment (line 1): YAML tags",
        "p.yaml|environment: &e prod\nkeepGood: *e|keepGood (line 2): YAML aliases (*name) are not supported; write the value out",
        "p.yaml|environment: prod\nprobes: &p [{type: http, name: a, url: 'http://x'}]|probes (line 2): YAML anchors (&name) are not supported",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, url: 'http://x', jsonPointer: /e, failIf: > 5%}]|a threshold that starts with '>' must be quoted",
        "p.yaml|environment: prod\nprobes:\n  - type: http\n    name: a\n    url: http://x\n    jsonPointer: /e\n    failIf: > 5%|a threshold that starts with '>' must be quoted, e.g. failIf: \"> 5%\"",
        "p.yaml|environment: prod\nonTrpi: rollback|p.yaml: onTrpi: unknown field 'onTrpi'; did you mean 'onTrip'?",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, url: 'http://x', jsonpointer: /e}]|probes[0].jsonpointer: unknown field 'jsonpointer'; did you mean 'jsonPointer'?",
        "p.yaml|environment: prod\nwhatever: 1|unknown field 'whatever'; known fields: allowDataRestore, backups,",
        "p.yaml|environment: prod\nprobes: [{type: smoke, name: a}]|probes[0].type: 'smoke' is not a known type; give one of command, http, prometheus",
        "p.yaml|environment: prod\nprobes: [{name: a}]|probes[0].type: is required; give one of command, http, prometheus",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a}]|probes[0]: url: is required; give a value",
        "p.yaml|environment: prod\nprobes: [~]|a list or mapping holds an empty item",
        "p.yaml|environment: prod\nkeepGood: 99999999999999999999|keepGood",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, url: 'http://x', jsonPointer: /e, failIf: between 299 and 200}]|'between 299 and 200' is an empty range (its first number is larger than its second); write the smaller number first",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, url: 'http://x', failIf: '> 5%'}]|probes[0].failIf: '> 5%' compares a percentage, but this probe has no jsonPointer, so its value is the response time in milliseconds",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, url: 'http://x', failIf: '> 800 or <= 800'}]|probes[0].failIf: '> 800 or <= 800' holds for every value, so every sample fails",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, url: 'http://x', successIf: '> 800 and < 700'}]|probes[0].successIf: '> 800 and < 700' holds for no value, so no sample ever passes",
        "p.yaml|environment: prod\nprobes: [{type: prometheus, name: a, url: 'http://x', query: q, failIf: '< 1 and > 2'}]|probes[0].failIf: '< 1 and > 2' holds for no value, so it never trips",
        "p.yaml|environment: prod\nevidence: {pth: /var/log/shop.log}|evidence.pth: unknown field 'pth'; did you mean 'path'?",
        "p.yaml|environment: prod\nevidence: {path: /var/log/shop.log, command: [tail]}|evidence: give either command or path, not both",
        "p.yaml|environment: prod\nevidence: {}|evidence: give either command (a program whose output is the log) or path (a log file)",
        "p.yaml|environment: prod\nevidence: {command: []}|evidence: command: must name a program",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, url: 'http://x', jsonPointer: /ok, failIf: 'drop > 20% and drop < 10%'}]|probes[0].failIf: 'drop > 20% and drop < 10%' holds for no change from the baseline, so it never trips",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, url: 'http://x', failIf: 'rise > 300 or rise <= 300'}]|probes[0].failIf: 'rise > 300 or rise <= 300' holds for every change from the baseline, so every sample fails",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, url: 'http://x', jsonPointer: /ok, failIf: 'drop > 20% and rise > 10%'}]|holds for no change from the baseline",
        "p.yaml|environment: prod\nprobes: [{type: http, name: a, url: 'http://x', bodyMatch: '(['}]|probes[0]: bodyMatch: '([' is not a regular expression (unclosed character class at character 2); correct it, or write the text to find with \\Q...\\E around it",
        "p.yaml|''|p.yaml: the policy is empty",
        "p.yaml|# only a comment|p.yaml: the policy is empty",
    };

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> refusals() {
        return java.util.Arrays.stream(REFUSALS).map(c -> c.split("\\|", 3))
                .map(c -> org.junit.jupiter.params.provider.Arguments.of(c[0], c[1].replace("\\n", "\n"), c[2]));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("refusals")
    void shouldRefuseWithOneLineNamingTheFieldAndTheFix(final String source, final String text, final String expected) {
        assertThatThrownBy(() -> new PolicyReader().parse(source, text.equals("''") ? "" : text))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith(source + ": ").hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContainPattern(
                        "[a-z]+\\.[a-z]+\\.[A-Z]\\w*|Exception|Error|null|\\[B@"));
    }

    /** The mapper writes a probe's type as a local tag; the policy kept with a point must read back. */
    @Test
    void shouldReadThePolicyItWroteAsYaml() throws Exception {
        PolicyReader reader = new PolicyReader();
        Policy policy = reader.parse("p.yaml", YAML);
        String written = reader.mapper().writeValueAsString(policy);

        assertThat(written).contains("!<http>");
        assertThat(reader.parse("kept policy", written)).isEqualTo(policy);
        assertThatThrownBy(() -> reader.parse("p.yaml", written.replace("!<http>", "!<smoke>")))
                .hasMessageContaining("YAML tags (!name, !!name) are not supported");
    }

    @Test
    void shouldAcceptThresholdsThatDependOnTheValueOrTheBaseline() {
        Policy policy = new PolicyReader().parse("p.yaml", """
                environment: prod
                probes:
                  - {type: http, name: a, url: 'http://x', failIf: rise > 50%}
                  - {type: http, name: b, url: 'http://x', failIf: '> 800 or < 1', successIf: between 1 and 800}
                  - {type: http, name: c, url: 'http://x', jsonPointer: /e, failIf: '> 5%'}
                  - {type: http, name: d, url: 'http://x', jsonPointer: /e, failIf: 'drop > 20% or rise > 50%'}
                  - {type: http, name: e, url: 'http://x', jsonPointer: /e, failIf: 'drop > 20% and drop < 5pp'}
                """);

        assertThat(policy.probes()).hasSize(5);
    }

    @Test
    void shouldShortenALongValueAndNestTooDeepWithAMessage() {
        String longUrl = "http://x/" + "a".repeat(2_000_000 - 9);
        assertThatThrownBy(() -> new PolicyReader().parse("p.yaml", "environment: prod\nprobes: [{type: http, name: a, url: '"
                + longUrl + "', redirects: sometimes}]")).hasMessageContaining("larger than 1 MiB");
        String value = "x".repeat(500);
        assertThatThrownBy(() -> new PolicyReader().parse("p.yaml", "environment: prod\nonTrip: " + value))
                .hasMessageContaining("'" + "x".repeat(60) + "… (500 characters)'").hasMessageNotContaining("x".repeat(61));
        assertThatThrownBy(() -> new PolicyReader().parse("p.yaml", "environment: prod\nprobes: " + "[".repeat(100_000)))
                .isInstanceOf(PolicyException.class).hasMessageContaining("nested more than 32 levels deep");
        assertThatThrownBy(() -> new PolicyReader().parse("p.json", "{\"environment\": " + "[".repeat(100_000)))
                .isInstanceOf(PolicyException.class).hasMessageContaining("nested more than 32 levels deep");
    }

    @Test
    void shouldSuggestTheNearestKnownField() {
        java.util.List<Object> known = java.util.List.of("onTrip", "onInconclusive", "cooldown");

        assertThat(PolicyReader.nearest("ontrip", known)).isEqualTo("onTrip");
        assertThat(PolicyReader.nearest("coldown", known)).isEqualTo("cooldown");
        assertThat(PolicyReader.nearest("banana", known)).isNull();
        assertThat(PolicyReader.levenshtein("kitten", "sitting")).isEqualTo(3);
    }
}
