package io.jenkins.plugins.rollbackguard.engine.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.guard.PolicyReader;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds;

/**
 * Tests the explanation record an {@link Analysis} writes with its verdict: for each kind of rule, the rule, the
 * metric's unit, the baseline, the observed value, the change against the baseline, the threshold, the window and
 * the sample size, and the one line with values in their unit.
 */
class VerdictExplanationTest {
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void shouldExplainADropAgainstTheBaseline() {
        Analysis analysis = new Analysis("payment-success", AnalysisSettings.builder().interval("30s").count(10)
                .failureLimit(1).build(), Thresholds.parse("payment-success", "drop > 20%", null),
                new Baseline(0.97, 5, ""), new Metric("PromQL payments on http://prom", ""));

        analysis.record(Measurement.of(T0, 0.96, Outcome.SUCCESS, "value"));
        analysis.record(Measurement.of(T0.plusSeconds(30), 0.71, Outcome.SUCCESS, "value"));
        analysis.record(Measurement.of(T0.plusSeconds(60), 0.70, Outcome.SUCCESS, "value"));

        VerdictExplanation why = analysis.verdict().orElseThrow().explained();
        assertThat(why.status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(why.probe()).isEqualTo("payment-success");
        assertThat(why.rule()).isEqualTo("2 failures exceed failureLimit 1");
        assertThat(why.threshold()).isEqualTo("failIf drop > 20%");
        assertThat(why.metric()).isEqualTo("PromQL payments on http://prom");
        assertThat(why.baseline()).isEqualTo(0.97);
        assertThat(why.baselineSamples()).isEqualTo(5);
        assertThat(why.observed()).isEqualTo(0.70);
        assertThat(why.change()).isCloseTo(-0.2784, within(0.0001));
        assertThat(why.changeText()).isEqualTo("0.70 is 27.8% below the baseline 0.97 (median of 5 samples), -0.27");
        assertThat(why.window()).isEqualTo("3 of 10 planned samples, every 30s");
        assertThat(why.samples()).isEqualTo(3);
        assertThat(why.judged()).isEqualTo(3);
        assertThat(why.failures()).isEqualTo(2);
        assertThat(why.at()).isEqualTo(T0.plusSeconds(60));
        assertThat(why.text()).isEqualTo("payment-success FAILED: 0.70 is 27.8% below the baseline 0.97 (median of 5 "
                + "samples), -0.27; failIf drop > 20%; 2 failures exceed failureLimit 1; 3 of 10 planned samples, every 30s");
    }

    @Test
    void shouldExplainARiseOfALatencyInMilliseconds() {
        ProbeSpec spec = new PolicyReader().parse("p.yaml", """
                environment: shop
                probes:
                  - type: http
                    name: checkout-p95
                    url: http://127.0.0.1:9/checkout
                    failIf: rise > 50%
                    analysis: {interval: 10s, count: 30, consecutiveFailureLimit: 1}
                """).probes().get(0);
        Analysis analysis = Analysis.of(spec, new Baseline(210.4, 10, ""));

        analysis.record(Measurement.of(T0, 840.3, Outcome.SUCCESS, "status 200 in 840.3 ms"));
        analysis.record(Measurement.of(T0.plusSeconds(10), 24.7979, Outcome.SUCCESS, "status 200 in 24.8 ms"));
        analysis.record(Measurement.of(T0.plusSeconds(20), 900, Outcome.SUCCESS, "status 200 in 900 ms"));
        analysis.record(Measurement.of(T0.plusSeconds(30), 912.6, Outcome.SUCCESS, "status 200 in 912.6 ms"));

        VerdictExplanation why = analysis.verdict().orElseThrow().explained();
        assertThat(why.unit()).isEqualTo(Metric.MS);
        assertThat(why.metric()).isEqualTo("response time of GET http://127.0.0.1:9/checkout");
        assertThat(why.rule()).isEqualTo("2 failures in a row exceed consecutiveFailureLimit 1");
        assertThat(why.observed()).isEqualTo(912.6);
        assertThat(why.change()).isCloseTo(3.3375, within(0.0001));
        assertThat(why.changeText())
                .isEqualTo("913 ms is 333.7% above the baseline 210 ms (median of 10 samples), +702 ms");
        assertThat(why.samples()).isEqualTo(4);
        assertThat(why.text()).startsWith("checkout-p95 FAILED: 913 ms is 333.7% above the baseline 210 ms")
                .contains("failIf rise > 50%").doesNotContain("24.7979").doesNotContain("912.6");
    }

    @Test
    void shouldExplainAWindowRuleWithTheSamplesItLookedAt() {
        Analysis analysis = new Analysis("error-rate", AnalysisSettings.builder().interval("15s").count(20)
                .window(2, 3).build(), Thresholds.parse("error-rate", "> 5%", null), Baseline.none("not sampled"),
                new Metric("PromQL errors", Metric.RATIO));

        analysis.record(Measurement.of(T0, 0.012, Outcome.SUCCESS, "value"));
        analysis.record(Measurement.of(T0.plusSeconds(15), 0.098, Outcome.SUCCESS, "value"));
        analysis.record(Measurement.of(T0.plusSeconds(30), 0.01, Outcome.SUCCESS, "value"));
        analysis.record(Measurement.of(T0.plusSeconds(45), 0.1234, Outcome.SUCCESS, "value"));

        VerdictExplanation why = analysis.verdict().orElseThrow().explained();
        assertThat(why.status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(why.rule()).isEqualTo("2 of the last 3 samples failed (window 2 of 3)");
        assertThat(why.window()).isEqualTo("the last 3 judged samples (window 2 of 3)");
        assertThat(why.baseline()).isNull();
        assertThat(why.change()).isNull();
        assertThat(why.changeText()).isNull();
        assertThat(why.observed()).isEqualTo(0.1234);
        assertThat(why.failures()).isEqualTo(2);
        assertThat(why.text()).isEqualTo("error-rate FAILED: 0.12 (12.3%); failIf > 5%; 2 of the last 3 samples failed "
                + "(window 2 of 3); the last 3 judged samples (window 2 of 3)");
    }

    @Test
    void shouldExplainAnErrorRuleWithoutAValue() {
        Analysis analysis = new Analysis("checkout", AnalysisSettings.builder().interval("5s").count(10)
                .consecutiveErrorLimit(2).onError(ErrorPolicy.FAIL).build(),
                Thresholds.parse("checkout", "drop > 20%", null), new Baseline(0.99, 3, ""), new Metric("rate", ""));

        analysis.record(Measurement.of(T0, 0.98, Outcome.SUCCESS, "value"));
        for (int n = 1; n <= 3; n++) {
            analysis.record(Measurement.withoutValue(T0.plusSeconds(5L * n), Outcome.ERROR, "connection refused"));
        }

        VerdictExplanation why = analysis.verdict().orElseThrow().explained();
        assertThat(why.status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(why.rule()).isEqualTo("3 provider errors in a row exceed consecutiveErrorLimit 2");
        assertThat(why.observed()).isNull();
        assertThat(why.changeText()).isNull();
        assertThat(why.baseline()).as("the baseline is kept, though nothing compares with it").isEqualTo(0.99);
        assertThat(why.detail()).isEqualTo("connection refused");
        assertThat(why.samples()).isEqualTo(4);
        assertThat(why.judged()).as("errors are not judged").isEqualTo(1);
        assertThat(why.text()).isEqualTo("checkout FAILED: no value (connection refused); failIf drop > 20%; "
                + "3 provider errors in a row exceed consecutiveErrorLimit 2; 4 of 10 planned samples, every 5s");
    }

    @Test
    void shouldNotTakeTheLatencyOfAFailedStatusForTheNumberAtAJsonPointer() {
        Analysis analysis = new Analysis("health", AnalysisSettings.builder().interval("1s").count(3).build(),
                Thresholds.parse("health", "drop > 20%", null), new Baseline(0.99, 2, ""),
                new Metric("the number at /rate", ""));

        analysis.record(Measurement.of(T0, 3.2, Outcome.FAILURE, "status 500, expected 2xx"));

        VerdictExplanation why = analysis.verdict().orElseThrow().explained();
        assertThat(why.observed()).isNull();
        assertThat(why.changeText()).isNull();
        assertThat(why.text()).contains("no value (status 500, expected 2xx)");
    }

    @Test
    void shouldFormatValuesWithTheirUnitAndAReadablePrecision() {
        Metric ms = new Metric("latency", Metric.MS);
        assertThat(ms.format(24.7979)).isEqualTo("24.8 ms");
        assertThat(ms.format(840.3)).isEqualTo("840 ms");
        assertThat(ms.format(7.1533)).isEqualTo("7.15 ms");
        assertThat(Metric.number(0.6884)).isEqualTo("0.69");
        assertThat(Metric.number(0.0061)).isEqualTo("0.0061");
        assertThat(Metric.number(0.7)).isEqualTo("0.70");
        assertThat(Metric.percent(0.2784)).isEqualTo("27.8%");
        assertThat(VerdictExplanation.describeChange(new Metric("", Metric.RATIO), 0.69, 0.97, 5, true))
                .isEqualTo("0.69 is 28.9% below the baseline 0.97 (median of 5 samples), -28.0 pp");
    }
}
