package io.jenkins.plugins.rollbackguard.engine.health.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds.Kind;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Tests the class {@link Thresholds}: the Argo combination of failIf and successIf. */
class ThresholdsTest {
    private static final OptionalDouble NONE = OptionalDouble.empty();

    @Test
    void shouldFailOnlyWhenFailIfHolds() {
        Thresholds failIf = Thresholds.parse("p", "> 5%", null);
        assertThat(failIf.judge(0.06, NONE).verdict()).isEqualTo(Kind.FAIL);
        assertThat(failIf.judge(0.01, NONE).verdict()).isEqualTo(Kind.PASS);
    }

    @Test
    void shouldFailWhenSuccessIfIsMissedAndNoFailIfGiven() {
        Thresholds successIf = Thresholds.parse("p", null, "between 200 and 299");
        assertThat(successIf.judge(500, NONE).verdict()).isEqualTo(Kind.FAIL);
        assertThat(successIf.judge(204, NONE).verdict()).isEqualTo(Kind.PASS);
    }

    @Test
    void shouldBeInconclusiveWhenNeitherIsMet() {
        Thresholds both = Thresholds.parse("p", "> 0.5", "< 0.1");
        assertThat(both.judge(0.3, NONE).inconclusiveReason()).contains("neither failIf nor successIf is met");
        assertThat(both.judge(0.6, NONE).verdict()).isEqualTo(Kind.FAIL);
        assertThat(both.judge(0.05, NONE).verdict()).isEqualTo(Kind.PASS);
    }

    @Test
    void shouldReportMissingBaselineAsInconclusive() {
        Thresholds relative = Thresholds.parse("p", "drop > 20%", null);
        assertThat(relative.needsBaseline()).isTrue();
        assertThat(relative.judge(0.5, NONE).inconclusiveReason()).contains("no baseline for a relative condition");
        assertThat(Thresholds.parse("p", "> 1", " ").needsBaseline()).isFalse();
    }
}
