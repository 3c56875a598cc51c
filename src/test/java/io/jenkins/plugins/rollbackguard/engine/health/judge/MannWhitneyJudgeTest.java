package io.jenkins.plugins.rollbackguard.engine.health.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

/** The Mann-Whitney judge on recorded and seeded log-normal latencies. */
class MannWhitneyJudgeTest {
    private static final int PLANNED = 30;
    private static final MannWhitneyJudge.Settings DEFAULTS = MannWhitneyJudge.Settings.defaults(PLANNED);

    private static List<Double> latencies(final Random random, final double median, final int n) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(median * Math.exp(0.3 * random.nextGaussian()));
        }
        return values;
    }

    private static Decision run(final MannWhitneyJudge.Settings settings, final long seed, final double factor) {
        Random random = new Random(seed);
        MannWhitneyJudge judge = new MannWhitneyJudge(settings, latencies(random, 200, 20));
        for (double value : latencies(random, 200 * factor, PLANNED)) {
            if (judge.add(value).decision() == Decision.TRIP) {
                return Decision.TRIP;
            }
        }
        return judge.end().decision();
    }

    @Test
    void shouldTakeHalfOfCommonsMathsTwoSidedPValueWhenTheLaterSampleIsGreater() {
        Random random = new Random(3);
        double[] before = latencies(random, 200, 20).stream().mapToDouble(Double::doubleValue).toArray();
        double[] later = latencies(random, 260, 25).stream().mapToDouble(Double::doubleValue).toArray();
        double[] oneSided = MannWhitneyJudge.oneSided(before, later);
        assertThat(oneSided[1]).isPositive();
        assertThat(2 * oneSided[0]).isCloseTo(new MannWhitneyUTest().mannWhitneyUTest(before, later), offset(1e-9));
        assertThat(MannWhitneyJudge.oneSided(later, before)[0]).isCloseTo(1 - oneSided[0], offset(1e-9));
    }

    @Test
    void shouldTripWhenTheLatencyDoubles() {
        int tripped = 0;
        for (long seed = 0; seed < 200; seed++) {
            tripped += run(DEFAULTS, seed, 2.0) == Decision.TRIP ? 1 : 0;
        }
        assertThat(tripped).as("of 200 deploys whose latency doubled").isGreaterThanOrEqualTo(196);
    }

    @Test
    void shouldRarelyTripAndMostlyPassAHealthyDeploy() {
        int tripped = 0;
        int passed = 0;
        for (long seed = 500; seed < 900; seed++) {
            Decision decision = run(DEFAULTS, seed, 1.0);
            tripped += decision == Decision.TRIP ? 1 : 0;
            passed += decision == Decision.PASS ? 1 : 0;
        }
        assertThat(tripped).as("healthy deploys tripped of 400").isLessThanOrEqualTo(4);
        assertThat(passed).isEqualTo(400 - tripped);
    }

    @Test
    void shouldRarelyTripARiseSmallerThanTheEffectThoughTheTestShowsIt() {
        int tripped = 0;
        int significant = 0;
        for (long seed = 0; seed < 100; seed++) {
            tripped += run(DEFAULTS, seed, 1.2) == Decision.TRIP ? 1 : 0;
            significant += run(new MannWhitneyJudge.Settings(Effect.parse("rise > 1%"), 0.01, 20, 10, 11), seed, 1.2)
                    == Decision.TRIP ? 1 : 0;
        }
        // the effect is judged on the medians of the samples, which scatter: a rise of 20% seldom looks like 50%
        assertThat(tripped).as("deploys 20% slower, below 'rise > 50%'").isLessThanOrEqualTo(5);
        assertThat(significant).as("the same deploys with 'rise > 1%'").isGreaterThan(tripped);
    }

    @Test
    void shouldTripARecordedSequenceOnceItHasItsMinimumSamples() {
        List<Double> before = List.of(210.0, 190.0, 205.0, 198.0, 220.0, 185.0, 202.0, 199.0, 215.0, 193.0);
        MannWhitneyJudge judge = new MannWhitneyJudge(new MannWhitneyJudge.Settings(null, 0.01, 5, 10, 2), before);
        double[] after = {480, 510, 455, 530, 470, 490};
        List<Decision> decisions = new ArrayList<>();
        for (double value : after) {
            decisions.add(judge.add(value).decision());
        }
        assertThat(decisions).containsExactly(Decision.CONTINUE, Decision.CONTINUE, Decision.CONTINUE,
                Decision.CONTINUE, Decision.TRIP, Decision.TRIP);
        Judgement trip = judge.end();
        assertThat(trip.method()).isEqualTo("mann-whitney");
        assertThat(trip.sampleSize()).isEqualTo(5);
        assertThat(trip.healthy()).isEqualTo(200.5);
        assertThat(trip.bad()).isEqualTo(300.75);
        assertThat(trip.pValue()).isLessThan(0.01 / 2); // 5 above all 10: U = 50, z = 3.06
        assertThat(trip.rule()).contains("5 samples after against 10 before", "the latency rose");
    }

    @Test
    void shouldFallBackToTheMedianRuleBelowItsMinimumSamples() {
        List<Double> before = List.of(200.0, 210.0, 190.0, 205.0, 195.0);
        MannWhitneyJudge slow = new MannWhitneyJudge(DEFAULTS, before);
        for (double value : new double[] {320, 310, 290, 305}) {
            assertThat(slow.add(value).decision()).as("the median rule only judges at the end")
                    .isEqualTo(Decision.CONTINUE);
        }
        assertThat(slow.end().decision()).isEqualTo(Decision.TRIP);
        assertThat(slow.end().method()).isEqualTo("median rule");
        assertThat(slow.end().rule()).contains("the U test needs 20 samples after and 10 before, has 4 and 5",
                "median 308 reached 300");

        MannWhitneyJudge fine = new MannWhitneyJudge(DEFAULTS, before);
        List.of(220.0, 230.0, 210.0).forEach(fine::add);
        assertThat(fine.end().decision()).isEqualTo(Decision.PASS);

        MannWhitneyJudge few = new MannWhitneyJudge(DEFAULTS, before);
        few.add(900);
        few.add(950);
        assertThat(few.end().decision()).as("2 samples: too few even for the median rule")
                .isEqualTo(Decision.INCONCLUSIVE);
    }

    @Test
    void shouldBeInconclusiveOnAZeroOrMissingBaseline() {
        MannWhitneyJudge zero = new MannWhitneyJudge(DEFAULTS, List.of(0.0, 0.0, 0.0, 0.0, 0.0));
        MannWhitneyJudge none = new MannWhitneyJudge(DEFAULTS, List.of(Double.NaN));
        for (int i = 0; i < 25; i++) {
            zero.add(100);
            none.add(100);
        }
        assertThat(zero.end().decision()).isEqualTo(Decision.INCONCLUSIVE);
        assertThat(zero.end().rule()).contains("the baseline median is 0");
        assertThat(none.end().decision()).isEqualTo(Decision.INCONCLUSIVE);
        assertThat(none.end().rule()).contains("no baseline samples");
    }

    @Test
    void shouldNameTheFieldOfABadSetting() {
        assertThatThrownBy(() -> new MannWhitneyJudge.Settings(Effect.parse("drop > 20%"), 0.01, 20, 10, 1))
                .hasMessage("analysis.effect: the mann-whitney judge looks for a rise of the median in percent, e.g. "
                        + "'rise > 50%', got 'drop > 20%'");
        assertThatThrownBy(() -> new MannWhitneyJudge.Settings(null, 0.01, 1, 10, 1))
                .hasMessageStartingWith("analysis.minSamples: the mann-whitney judge needs at least 2");
    }
}
