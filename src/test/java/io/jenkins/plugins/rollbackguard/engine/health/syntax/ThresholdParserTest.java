package io.jenkins.plugins.rollbackguard.engine.health.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Condition.Operator;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Condition.Unit;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests the class {@link ThresholdParser} and the evaluation of its trees. */
class ThresholdParserTest {
    private static final OptionalDouble NO_BASELINE = OptionalDouble.empty();

    @Test
    void shouldParseComparisonsAndPercentLiterals() {
        assertThat(parse("> 5%")).isEqualTo(new Condition.Comparison(Operator.GT, 0.05));
        assertThat(parse("<=800")).isEqualTo(new Condition.Comparison(Operator.LE, 800));
        assertThat(parse("== 200")).isEqualTo(new Condition.Comparison(Operator.EQ, 200));
        assertThat(parse("!= -1.5")).isEqualTo(new Condition.Comparison(Operator.NE, -1.5));
        assertThat(parse("BETWEEN 200 AND 299")).isEqualTo(new Condition.Between(200, 299));
    }

    @Test
    void shouldParseBaselineRelativeForms() {
        assertThat(parse("drop > 20%")).isEqualTo(new Condition.Change(false, Operator.GT, 0.2, Unit.PERCENT));
        assertThat(parse("rise >= 50%")).isEqualTo(new Condition.Change(true, Operator.GE, 0.5, Unit.PERCENT));
        assertThat(parse("drop > 5pp")).isEqualTo(new Condition.Change(false, Operator.GT, 0.05, Unit.POINTS));
        assertThat(parse("rise > 300")).isEqualTo(new Condition.Change(true, Operator.GT, 300, Unit.ABSOLUTE));
    }

    @Test
    void shouldBindAndTighterThanOr() {
        assertThat(parse("> 1 or > 2 and < 3")).isEqualTo(new Condition.Or(
                new Condition.Comparison(Operator.GT, 1),
                new Condition.And(new Condition.Comparison(Operator.GT, 2), new Condition.Comparison(Operator.LT, 3))));
        assertThat(parse("(> 1 or > 2) and < 3")).isInstanceOf(Condition.And.class);
    }

    @Test
    void shouldMeasureADropRelativeToTheBaseline() {
        // 0.97 -> 0.77 is a drop of 20.6% of the baseline, but only 20 percentage points
        assertThat(parse("drop > 20%").evaluate(0.77, OptionalDouble.of(0.97)).isTrue()).isTrue();
        assertThat(parse("drop > 21%").evaluate(0.77, OptionalDouble.of(0.97)).isTrue()).isFalse();
        assertThat(parse("drop > 20pp").evaluate(0.77, OptionalDouble.of(0.97)).isTrue()).isFalse();
        assertThat(parse("drop > 19pp").evaluate(0.77, OptionalDouble.of(0.97)).isTrue()).isTrue();
        assertThat(parse("rise > 50%").evaluate(1600, OptionalDouble.of(1000)).isTrue()).isTrue();
    }

    @Test
    void shouldBeInconclusiveWithoutOrWithZeroBaseline() {
        assertThat(parse("drop > 20%").evaluate(0.5, NO_BASELINE))
                .isEqualTo(Evaluation.unknown("no baseline for a relative condition"));
        assertThat(parse("drop > 20%").evaluate(0.5, OptionalDouble.of(0)).reason()).contains("baseline is zero");
        assertThat(parse("drop > 20% or > 0.9").evaluate(0.95, NO_BASELINE).isTrue()).isTrue();
        assertThat(parse("drop > 20% and > 0.9").evaluate(0.5, NO_BASELINE).isFalse()).isTrue();
    }

    @Test
    void shouldEvaluateRangesInclusively() {
        Condition range = parse("between 200 and 299");
        assertThat(range.evaluate(200, NO_BASELINE).isTrue()).isTrue();
        assertThat(range.evaluate(299, NO_BASELINE).isTrue()).isTrue();
        assertThat(range.evaluate(300, NO_BASELINE).isFalse()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "\"\"|1|a comparison (> >= < <= == !=), 'between', 'drop', 'rise' or '('",
            "\"> \"|3|a number",
            "> 5 5|5|'and', 'or' or the end of the threshold",
            "between 1 2|11|'and'",
            "drop 20%|6|an operator (> >= < <= == !=)",
            "drop > %|8|a number",
            "(> 1|5|')'",
            "> 1.|5|a digit after '.'",
            "> 5pp|4|'and', 'or' or the end of the threshold",
            "=> 5|1|an operator (> >= < <= == !=)"})
    void shouldNamePositionAndExpectation(final String text, final int position, final String expected) {
        assertThatThrownBy(() -> ThresholdParser.parse("probes[0].failIf", text))
                .isInstanceOfSatisfying(SyntaxException.class, e -> {
                    assertThat(e.getExpected()).isEqualTo(expected);
                    assertThat(e.getPosition()).isEqualTo(position);
                })
                .hasMessageStartingWith("probes[0].failIf: expected ");
    }

    @Test
    void shouldLimitNesting() {
        assertThatThrownBy(() -> parse("(".repeat(17) + "> 1" + ")".repeat(17)))
                .isInstanceOf(SyntaxException.class).hasMessageContaining("at most 16 nested parentheses");
    }

    private static Condition parse(final String text) {
        return ThresholdParser.parse("failIf", text);
    }
}
