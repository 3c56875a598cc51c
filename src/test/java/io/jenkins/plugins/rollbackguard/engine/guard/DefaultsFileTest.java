package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;

/** Tests the class {@link DefaultsFile}: the CLI's defaults.yaml, refused in one sentence naming file, field and value. */
class DefaultsFileTest {
    @TempDir
    private Path home;

    @Test
    void shouldReadTheSixDefaultsUnderThePolicysNames() throws IOException {
        Files.writeString(home.resolve("defaults.yaml"), """
                # the shop's defaults
                interval: 30s
                duration: 10m
                failureLimit: 2
                consecutiveErrorLimit: 7
                cooldown: 1h
                keepGood: 9
                """);

        assertThat(DefaultsFile.read(home)).isEqualTo(new HostDefaults(new AnalysisDefaults(
                "defaults.yaml (" + home.resolve("defaults.yaml") + ")", "30s", "10m", 2, 7), "1h", 9));
    }

    @Test
    void shouldTakeThePolicysFieldsAlone() throws IOException {
        Files.writeString(home.resolve("defaults.yaml"), "keepGood: 3\n");

        HostDefaults read = DefaultsFile.read(home);

        assertThat(read.analysis().isNone()).isTrue();
        assertThat(read.isNone()).isFalse();
        assertThat(read).extracting(HostDefaults::cooldown, HostDefaults::keepGood).containsExactly(null, 3);
        assertThat(read.source()).isEqualTo("defaults.yaml (" + home.resolve("defaults.yaml") + ")");
    }

    @Test
    void shouldHaveNoDefaultsWithoutAFileOrInAnEmptyOne() throws IOException {
        assertThat(DefaultsFile.read(home)).isSameAs(HostDefaults.NONE);
        assertThat(DefaultsFile.read(home.resolve("missing"))).isSameAs(HostDefaults.NONE);

        Files.writeString(home.resolve("defaults.yaml"), "# nothing yet\n");
        assertThat(DefaultsFile.read(home).isNone()).isTrue();
        Files.writeString(home.resolve("defaults.yaml"), "interval: 1s\n");
        assertThat(DefaultsFile.read(home).isNone()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "count: 20|count: is not a setting a host may default; the file takes interval, duration, failureLimit, consecutiveErrorLimit, cooldown, keepGood, and every other setting belongs in the policy",
        "onTrip: freeze|onTrip: is not a setting a host may default; the file takes interval, duration, failureLimit, consecutiveErrorLimit, cooldown, keepGood, and every other setting belongs in the policy",
        "keepgood: 3|keepgood: unknown field; did you mean 'keepGood'?",
        "cooldown: soon|cooldown: expected a digit at position 1 in 'soon'; correct it, or remove the line for the engine's default",
        "cooldown: 15|cooldown: '15' is not a duration; give one such as 30s, 5m or 1h30m",
        "keepGood: 0|keepGood: must be at least 1, got 0; correct it, or remove the line for the engine's default",
        "keepGood: all|keepGood: 'all' is not a whole number; give 1 or more",
        "intervall: 30s|intervall: unknown field; did you mean 'interval'?",
        "interval: 0s|interval: must be positive, got '0s'; correct it, or remove the line for the engine's default",
        "duration: 10x|duration: expected a unit (d, h, m, s, ms) at position 3 in '10x'; correct it, or remove the line for the engine's default",
        "interval: 30|interval: '30' is not a duration; give one such as 30s, 5m or 1h30m",
        "failureLimit: -1|failureLimit: must be 0 or more, got -1; correct it, or remove the line for the engine's default",
        "failureLimit: two|failureLimit: 'two' is not a whole number; give 0 or more",
        "consecutiveErrorLimit: 1.5|consecutiveErrorLimit: '1.5' is not a whole number; give 0 or more",
        "[interval, 30s]|expected a mapping of 'field: value' lines, e.g. 'interval: 30s'",
        "interval: 30s\\nfoo: [|not valid YAML at line 2; write one 'field: value' a line, e.g. 'interval: 30s'"
    })
    void shouldRefuseABadFileInOneSentence(final String text, final String problem) throws IOException {
        Path file = home.resolve("defaults.yaml");
        Files.writeString(file, text.replace("\\n", "\n"));

        assertThatThrownBy(() -> DefaultsFile.read(home)).isInstanceOf(PolicyException.class)
                .hasMessage(file + ": " + problem)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Exception")
                        .doesNotContain("java."));
    }
}
