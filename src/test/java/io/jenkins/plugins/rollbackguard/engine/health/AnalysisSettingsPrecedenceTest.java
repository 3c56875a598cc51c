package io.jenkins.plugins.rollbackguard.engine.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The precedence of analysis settings, the same in every host (issue 17): a value given (inline or in the policy
 * file) &gt; the host's default (the Jenkins global configuration) &gt; the engine's default.
 */
class AnalysisSettingsPrecedenceTest {
    @Test
    void shouldPreferTheGivenValueThenTheHostDefaultThenTheEngineDefault() {
        AnalysisSettings given = AnalysisSettings.builder().interval("2s").failureLimit(3).consecutiveErrorLimit(1)
                .duration("1m").hostDefaults("30s", "10m", 0, 7).build();
        AnalysisSettings host = AnalysisSettings.builder().hostDefaults("30s", "10m", 2, 7).build();
        AnalysisSettings engine = AnalysisSettings.builder().hostDefaults(null, null, null, null).build();

        assertThat(given).extracting(AnalysisSettings::interval, AnalysisSettings::duration,
                AnalysisSettings::failureLimit, AnalysisSettings::consecutiveErrorLimit)
                .containsExactly("2s", "1m", 3, 1);
        assertThat(host).extracting(AnalysisSettings::interval, AnalysisSettings::duration,
                AnalysisSettings::failureLimit, AnalysisSettings::consecutiveErrorLimit)
                .containsExactly("30s", "10m", 2, 7);
        assertThat(engine).isEqualTo(AnalysisSettings.defaults());
        assertThat(engine).extracting(AnalysisSettings::interval, AnalysisSettings::duration,
                AnalysisSettings::failureLimit, AnalysisSettings::consecutiveErrorLimit)
                .containsExactly("10s", "5m", 0, 4);
    }

    /** A host's failureLimit 0 would void a window: with one the engine's default (no limit) stands. */
    @Test
    void shouldKeepTheHostFailureLimitAwayFromAWindowAndTheHostDurationFromACount() {
        AnalysisSettings windowed = AnalysisSettings.builder().window(3, 5).hostDefaults(null, null, 0, null).build();
        AnalysisSettings consecutive = AnalysisSettings.builder().consecutiveFailureLimit(2)
                .hostDefaults(null, null, 0, null).build();
        AnalysisSettings counted = AnalysisSettings.builder().count(30).hostDefaults(null, "10m", null, null).build();

        assertThat(windowed.failureLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(consecutive.failureLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(counted.duration()).isNull();
        assertThat(counted.plannedSamples()).isEqualTo(30);
    }

    /** A reader hands over only what a policy gave: copy takes those fields, given names what is set. */
    @Test
    void shouldCopyTheGivenFieldsAndNameWhatIsSet() {
        AnalysisSettings full = new AnalysisSettings("2s", 10, "1m", "1s", 1, 2, new AnalysisSettings.Window(2, 3), 3, 4,
                5, ErrorPolicy.FAIL, ErrorPolicy.IGNORE, true, 6, "sequential", "rise > 50%", 0.02, 0.05, 0.01, "/errors",
                "/requests", true, "1h");
        java.util.List<String> every = java.util.Arrays.stream(AnalysisSettings.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toList();

        assertThat(AnalysisSettings.builder().copy(full, every).build()).isEqualTo(full);
        assertThat(AnalysisSettings.builder().copy(full, every).given()).containsExactlyElementsOf(every);
        assertThat(AnalysisSettings.builder().copy(full, java.util.List.of("interval", "window")).given())
                .containsExactly("interval", "window");
        assertThat(AnalysisSettings.builder().copy(full, java.util.List.of("window")).hostDefaults("30s", null, 0, null)
                .given()).as("a host's interval, not its failureLimit over a window").containsExactly("interval", "window");
        assertThat(AnalysisSettings.builder().given()).isEmpty();
    }
}
