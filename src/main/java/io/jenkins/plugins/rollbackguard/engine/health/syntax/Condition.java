package io.jenkins.plugins.rollbackguard.engine.health.syntax;

import java.io.Serial;
import java.io.Serializable;
import java.util.OptionalDouble;

/**
 * A parsed threshold: a tree of comparisons, ranges and baseline-relative changes joined by
 * {@code and}/{@code or}. Evaluating it runs no user code. Obtain one from {@link ThresholdParser}.
 */
public sealed interface Condition extends Serializable {
    /**
     * Evaluates the condition.
     *
     * @param value
     *         the measured value
     * @param baseline
     *         the baseline value sampled before the deploy, empty if there is none
     * @return true, false or unknown with a reason
     */
    Evaluation evaluate(double value, OptionalDouble baseline);

    /** Comparison operators. */
    enum Operator {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

        private final String symbol;

        Operator(final String symbol) {
            this.symbol = symbol;
        }

        /** @return the operator as written */
        public String symbol() {
            return symbol;
        }

        boolean test(final double left, final double right) {
            return switch (this) {
                case GT -> left > right;
                case GE -> left >= right;
                case LT -> left < right;
                case LE -> left <= right;
                case EQ -> Double.compare(left, right) == 0;
                case NE -> Double.compare(left, right) != 0;
            };
        }
    }

    /** How the amount of a {@link Change} is measured. */
    enum Unit {
        /** Relative to the baseline: {@code 20%} of the baseline value. */
        PERCENT,
        /** Percentage points of a ratio: {@code 5pp} is an absolute change of 0.05. */
        POINTS,
        /** An absolute change in the value's own unit. */
        ABSOLUTE
    }

    /**
     * {@code value <op> limit}, e.g. {@code > 0.05}.
     *
     * @param operator
     *         the operator
     * @param limit
     *         the limit (percent literals already divided by 100)
     */
    record Comparison(Operator operator, double limit) implements Condition {
        @Serial
        private static final long serialVersionUID = 1L; // first release

        @Override
        public Evaluation evaluate(final double value, final OptionalDouble baseline) {
            return Evaluation.of(operator.test(value, limit));
        }
    }

    /**
     * {@code between low and high}, both inclusive.
     *
     * @param low
     *         the lower bound
     * @param high
     *         the upper bound
     */
    record Between(double low, double high) implements Condition {
        @Serial
        private static final long serialVersionUID = 1L; // first release

        @Override
        public Evaluation evaluate(final double value, final OptionalDouble baseline) {
            return Evaluation.of(value >= low && value <= high);
        }
    }

    /**
     * {@code drop > 20%} or {@code rise > 50%}: the change from the baseline to the value.
     *
     * @param rise
     *         true for a rise (value above baseline), false for a drop
     * @param operator
     *         the operator
     * @param amount
     *         the amount: a fraction of the baseline for {@link Unit#PERCENT}, else an absolute change
     * @param unit
     *         how the amount is measured
     */
    record Change(boolean rise, Operator operator, double amount, Unit unit) implements Condition {
        @Serial
        private static final long serialVersionUID = 1L; // first release

        @Override
        public Evaluation evaluate(final double value, final OptionalDouble baseline) {
            if (baseline.isEmpty()) {
                return Evaluation.unknown("no baseline for a relative condition");
            }
            double base = baseline.getAsDouble();
            double delta = rise ? value - base : base - value;
            if (unit == Unit.PERCENT) {
                if (base == 0) {
                    return Evaluation.unknown("baseline is zero, so a relative change is undefined");
                }
                delta = delta / Math.abs(base);
            }
            return Evaluation.of(operator.test(delta, amount));
        }
    }

    /**
     * Both sides hold (three-valued: false wins over unknown).
     *
     * @param left
     *         the left side
     * @param right
     *         the right side
     */
    record And(Condition left, Condition right) implements Condition {
        @Serial
        private static final long serialVersionUID = 1L; // first release

        @Override
        public Evaluation evaluate(final double value, final OptionalDouble baseline) {
            return left.evaluate(value, baseline).and(right.evaluate(value, baseline));
        }
    }

    /**
     * Either side holds (three-valued: true wins over unknown).
     *
     * @param left
     *         the left side
     * @param right
     *         the right side
     */
    record Or(Condition left, Condition right) implements Condition {
        @Serial
        private static final long serialVersionUID = 1L; // first release

        @Override
        public Evaluation evaluate(final double value, final OptionalDouble baseline) {
            return left.evaluate(value, baseline).or(right.evaluate(value, baseline));
        }
    }
}
