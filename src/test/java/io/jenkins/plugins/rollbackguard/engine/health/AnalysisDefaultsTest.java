package io.jenkins.plugins.rollbackguard.engine.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Tests the class {@link AnalysisDefaults}: a host's defaults are the engine's values to start with and are checked by
 * the engine's record, so the Jenkins form and the CLI's defaults.yaml refuse what a policy would.
 */
class AnalysisDefaultsTest {
    @Test
    void shouldStartAtTheEnginesValues() {
        AnalysisSettings engine = AnalysisSettings.defaults();

        assertThat(AnalysisDefaults.engine()).extracting(AnalysisDefaults::interval, AnalysisDefaults::duration,
                AnalysisDefaults::failureLimit, AnalysisDefaults::consecutiveErrorLimit)
                .containsExactly(engine.interval(), engine.duration(), engine.failureLimit(), engine.consecutiveErrorLimit());
        assertThat(AnalysisSettings.builder().hostDefaults(AnalysisDefaults.engine()).build()).isEqualTo(engine);
        assertThat(AnalysisDefaults.NONE.isNone()).isTrue();
        assertThat(AnalysisDefaults.engine().isNone()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"250ms", "10s", "5m", "1h30m", "2d", " 15m "})
    void shouldAcceptDurations(final String value) {
        assertThat(AnalysisDefaults.check("interval", "interval", value)).isEmpty();
        assertThat(AnalysisDefaults.check("duration", "watch", value)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "interval|interval|0s|interval: must be positive, got '0s'",
        "interval|interval|10x|interval: expected a unit (d, h, m, s, ms) at position 3 in '10x'",
        "duration|watch|soon|watch: expected a digit at position 1 in 'soon'",
        "duration|watch|\"\"|watch: expected a duration such as 30s, 5m, 1h30m or 250ms at position 1 in ''",
        "failureLimit|failureLimit|-1|failureLimit: must be 0 or more, got -1",
        "failureLimit|failureLimit|zero|failureLimit: 'zero' is not a whole number; give 0 or more",
        "consecutiveErrorLimit|consecutiveErrorLimit|-2|consecutiveErrorLimit: must be 0 or more, got -2",
        "count|count|3|count: is not a setting a host may default; give one of interval, duration, failureLimit, consecutiveErrorLimit"
    })
    void shouldRefuseWithTheEnginesWordsUnderTheHostsName(final String field, final String shownAs, final String value,
            final String message) {
        assertThat(AnalysisDefaults.check(field, shownAs, value)).contains(message);
    }

    @Test
    void shouldRefuseABadDefaultWhenBuilt() {
        assertThatThrownBy(() -> new AnalysisDefaults("x", "0s", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("analysis.interval: must be positive, got '0s'");
    }
}
