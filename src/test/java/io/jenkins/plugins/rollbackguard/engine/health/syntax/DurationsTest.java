package io.jenkins.plugins.rollbackguard.engine.health.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests the class {@link Durations}. */
class DurationsTest {
    @ParameterizedTest
    @CsvSource({"30s,PT30S", "5m,PT5M", "1h30m,PT1H30M", "250ms,PT0.25S", "2d,PT48H", "1h0m5s,PT1H5S",
            "' 10s ',PT10S", "0s,PT0S", "1m30s250ms,PT1M30.25S"})
    void shouldParseDurations(final String text, final String expected) {
        assertThat(Durations.parse("interval", text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30s", "5m", "1h30m", "250ms", "2d3h", "1m30s250ms"})
    void shouldFormatWhatItParses(final String text) {
        assertThat(Durations.format(Durations.parse("f", text))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "30|3|a unit (d, h, m, s, ms)",
            "s|1|a digit",
            "5m1h|4|a unit smaller than 'm'",
            "5s5s|4|a unit smaller than 's'",
            "-5s|1|a digit",
            "1.5h|2|a unit (d, h, m, s, ms)",
            "1234567890s|1|at most 9 digits",
            "5 m|2|a unit (d, h, m, s, ms)"})
    void shouldNamePositionAndExpectation(final String text, final int position, final String expected) {
        assertThatThrownBy(() -> Durations.parse("analysis.interval", text))
                .isInstanceOfSatisfying(SyntaxException.class, e -> {
                    assertThat(e.getPosition()).isEqualTo(position);
                    assertThat(e.getExpected()).isEqualTo(expected);
                    assertThat(e.getField()).isEqualTo("analysis.interval");
                })
                .hasMessageContaining("analysis.interval").hasMessageContaining(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void shouldRejectBlankText(final String text) {
        assertThatThrownBy(() -> Durations.parse("timeout", text))
                .isInstanceOf(SyntaxException.class)
                .hasMessageStartingWith("timeout: expected a duration");
    }
}
