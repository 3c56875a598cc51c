package io.jenkins.plugins.rollbackguard.engine.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds;

/**
 * The no-data decision table, each case through a real {@link Analysis}: inconclusive by default, and what the policy's
 * {@code onNoData}, {@code onError} and {@code minSamples} make of it. A trace without data never passes.
 */
class NoDataTableTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Verdict watch(final AnalysisSettings settings, final String failIf, final Baseline baseline,
            final Measurement... samples) {
        Analysis analysis = new Analysis("p", settings, Thresholds.parse("p", failIf, null), baseline);
        for (Measurement m : samples) {
            analysis.record(m);
        }
        return analysis.verdict().orElseThrow();
    }

    private static AnalysisSettingsBuilder three() {
        return AnalysisSettings.builder().count(3);
    }

    private static Measurement[] times(final Measurement m) {
        return new Measurement[] {m, m, m};
    }

    @Test
    void shouldCountAProviderErrorByOnError() {
        Measurement error = Measurement.withoutValue(T0, Outcome.ERROR, "status 503: query refused");
        assertThat(watch(three().consecutiveErrorLimit(1).build(), "> 1", Baseline.none(""), times(error)).status())
                .isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(watch(three().consecutiveErrorLimit(1).onError(ErrorPolicy.FAIL).build(), "> 1", Baseline.none(""),
                times(error)).status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(watch(three().build(), "> 1", Baseline.none(""), times(error)).status())
                .as("within consecutiveErrorLimit: nothing judged, never a pass").isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(NoDataTable.outcome(NoDataTable.Case.PROVIDER_ERROR, AnalysisSettings.defaults()))
                .contains(Outcome.ERROR);
    }

    @Test
    void shouldCountAnEmptyResultByOnNoData() {
        Measurement empty = Measurement.withoutValue(T0, Outcome.NO_DATA, "empty result for up");
        assertNoData(empty);
    }

    @Test
    void shouldCountNaNByOnNoData() {
        // what a value of NaN becomes on the way in: the probes turn it into no data
        assertNoData(Measurement.withoutValue(T0, Outcome.NO_DATA, "result is NaN"));
        assertThat(NoDataTable.of(Double.NaN)).contains(NoDataTable.Case.NAN);
    }

    @Test
    void shouldCountInfinityByOnNoData() {
        Measurement infinite = Measurement.of(T0, Double.POSITIVE_INFINITY, Outcome.SUCCESS, "errors / 0 requests");
        assertNoData(infinite);
        Analysis analysis = new Analysis("p", three().build(), Thresholds.parse("p", "> 0.05", null),
                Baseline.none(""));
        assertThat(analysis.record(infinite).last().outcome()).isEqualTo(Outcome.NO_DATA);
        assertThat(analysis.state().last().detail()).isEqualTo("the value is Infinity: no number to judge");
        assertThat(NoDataTable.of(Double.NEGATIVE_INFINITY)).contains(NoDataTable.Case.INFINITY);
        assertThat(NoDataTable.of(3)).isEmpty();
    }

    @Test
    void shouldCountASampleAgainstAZeroBaselineByOnNoData() {
        Baseline zero = Baseline.median(List.of(Measurement.of(T0, 0, Outcome.SUCCESS, ""),
                Measurement.of(T0, 0, Outcome.SUCCESS, "")));
        Measurement sample = Measurement.of(T0, 0.5, Outcome.SUCCESS, "");
        assertThat(watch(three().build(), "rise > 20%", zero, times(sample)).status())
                .isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(watch(three().onNoData(ErrorPolicy.FAIL).build(), "rise > 20%", zero, times(sample)).status())
                .isEqualTo(VerdictStatus.FAILED);
        Verdict ignored = watch(three().onNoData(ErrorPolicy.IGNORE).build(), "rise > 20%", zero, times(sample));
        assertThat(ignored.status()).as("ignored: nothing judged, below minSamples 1").isEqualTo(
                VerdictStatus.INCONCLUSIVE);
        assertThat(ignored.measurements().get(0).detail()).contains("baseline is zero");
    }

    @Test
    void shouldBeInconclusiveWithTooFewSamplesUnlessMinSamplesIsZero() {
        Measurement fine = Measurement.of(T0, 0.1, Outcome.SUCCESS, "");
        Measurement empty = Measurement.withoutValue(T0, Outcome.NO_DATA, "empty");
        AnalysisSettings five = three().minSamples(3).onNoData(ErrorPolicy.IGNORE).build();
        Verdict few = watch(five, "> 1", Baseline.none(""), fine, empty, fine);
        assertThat(few.status()).isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(few.explanation()).contains("only 2 of 3 required samples could be judged");
        assertThat(watch(three().minSamples(0).onNoData(ErrorPolicy.IGNORE).build(), "> 1", Baseline.none(""),
                times(empty)).status()).as("minSamples: 0 says a watch without data passes").isEqualTo(
                VerdictStatus.PASSED);
        assertThat(NoDataTable.outcome(NoDataTable.Case.TOO_FEW_SAMPLES, AnalysisSettings.defaults()))
                .contains(Outcome.INCONCLUSIVE);
        assertThat(NoDataTable.outcome(NoDataTable.Case.TOO_FEW_SAMPLES, three().minSamples(0).build()))
                .contains(Outcome.SUCCESS);
    }

    @Test
    void shouldNeverPassATraceWithoutDataWhateverTheJudge() {
        Measurement empty = Measurement.withoutValue(T0, Outcome.NO_DATA, "empty result");
        for (String judge : new String[] {"threshold", "sequential", "mann-whitney"}) {
            AnalysisSettingsBuilder settings = three().judge(judge);
            if ("sequential".equals(judge)) {
                settings.events("/errors").trials("/requests");
            }
            for (ErrorPolicy onNoData : new ErrorPolicy[] {ErrorPolicy.INCONCLUSIVE, ErrorPolicy.IGNORE}) {
                Verdict verdict = watch(settings.onNoData(onNoData).build(), "threshold".equals(judge) ? "> 1" : null,
                        Baseline.none(""), times(empty));
                assertThat(verdict.status()).as(judge + ", onNoData " + onNoData).isEqualTo(
                        VerdictStatus.INCONCLUSIVE);
            }
        }
    }

    private static void assertNoData(final Measurement noData) {
        assertThat(watch(three().build(), "> 1", Baseline.none(""), times(noData)).status())
                .as("default: inconclusive").isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(watch(three().onNoData(ErrorPolicy.FAIL).build(), "> 1", Baseline.none(""), times(noData))
                .status()).as("onNoData: fail").isEqualTo(VerdictStatus.FAILED);
        assertThat(watch(three().onNoData(ErrorPolicy.IGNORE).build(), "> 1", Baseline.none(""), times(noData))
                .status()).as("onNoData: ignore, nothing judged").isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(NoDataTable.outcome(NoDataTable.Case.EMPTY_RESULT, AnalysisSettings.defaults()))
                .contains(Outcome.INCONCLUSIVE);
        assertThat(NoDataTable.outcome(NoDataTable.Case.NAN, three().onNoData(ErrorPolicy.FAIL).build()))
                .contains(Outcome.FAILURE);
        assertThat(NoDataTable.outcome(NoDataTable.Case.INFINITY, three().onNoData(ErrorPolicy.IGNORE).build()))
                .isEqualTo(Optional.empty());
    }
}
