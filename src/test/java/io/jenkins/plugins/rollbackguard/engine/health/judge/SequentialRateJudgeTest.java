package io.jenkins.plugins.rollbackguard.engine.health.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The sequential rate judge on recorded and seeded generated sequences. */
class SequentialRateJudgeTest {
    private static final SequentialRateJudge.Settings DEFAULTS = SequentialRateJudge.Settings.defaults();

    /** A shop at 10 requests a second sampled every 10 s: 100 requests a sample, errors drawn at the given rate. */
    private static Decision run(final long seed, final double baselineRate, final double rate, final int samples,
            final int perSample) {
        Random random = new Random(seed);
        SequentialRateJudge judge = new SequentialRateJudge(DEFAULTS, draw(random, baselineRate, 3000));
        for (int i = 0; i < samples; i++) {
            Judgement judgement = judge.add(draw(random, rate, perSample));
            if (judgement.decision().isFinal()) {
                return judgement.decision();
            }
        }
        return judge.end().decision();
    }

    private static RateCounts draw(final Random random, final double rate, final int trials) {
        long events = 0;
        for (int i = 0; i < trials; i++) {
            events += random.nextDouble() < rate ? 1 : 0;
        }
        return new RateCounts(events, trials);
    }

    @Test
    void shouldTripOnAnErrorRateRisingFromOneToFivePercent() {
        int tripped = 0;
        for (long seed = 0; seed < 200; seed++) {
            tripped += run(seed, 0.01, 0.05, 30, 100) == Decision.TRIP ? 1 : 0;
        }
        assertThat(tripped).as("bad deploys detected of 200").isGreaterThanOrEqualTo(196);
    }

    @Test
    void shouldRarelyTripAHealthyDeployAndPassMostOfThem() {
        int tripped = 0;
        int passed = 0;
        for (long seed = 1000; seed < 1400; seed++) {
            Decision decision = run(seed, 0.01, 0.01, 30, 100);
            tripped += decision == Decision.TRIP ? 1 : 0;
            passed += decision == Decision.PASS ? 1 : 0;
        }
        assertThat(tripped).as("healthy deploys tripped of 400 (alpha 0.01)").isLessThanOrEqualTo(4);
        assertThat(passed).as("healthy deploys passed of 400").isGreaterThanOrEqualTo(380);
    }

    @Test
    void shouldTripARecordedSequenceAtTheSampleWhereTheRatioCrossesItsBound() {
        // recorded: 1,000 requests with 10 errors before; after the deploy errors climb to about 8%
        SequentialRateJudge judge = new SequentialRateJudge(DEFAULTS, new RateCounts(10, 1000));
        long[][] recorded = {{1, 40}, {3, 42}, {4, 39}, {3, 41}, {5, 40}, {2, 38}};
        Decision[] decisions = new Decision[recorded.length];
        for (int i = 0; i < recorded.length; i++) {
            decisions[i] = judge.add(new RateCounts(recorded[i][0], recorded[i][1])).decision();
        }
        assertThat(judge.healthyRate()).isBetween(0.0160, 0.0175); // Wilson 95% upper bound of 10 in 1000
        assertThat(judge.badRate()).isEqualTo(2 * judge.healthyRate()); // the floor: twice, and 2x is above +1pp
        assertThat(decisions).containsExactly(Decision.CONTINUE, Decision.CONTINUE, Decision.CONTINUE, Decision.TRIP,
                Decision.TRIP, Decision.TRIP);
        assertThat(judge.end().rule()).isEqualTo("sequential test: 11 bad events in 162 trials (6.79%) against 1.67% "
                + "healthy and 3.33% bad; log-likelihood ratio 5.04 reached the trip bound 4.61");
        assertThat(judge.end().sampleSize()).isEqualTo(162);
        assertThat(judge.end().alpha()).isEqualTo(0.01);
        assertThat(judge.end().beta()).isEqualTo(0.1);
    }

    @Test
    void shouldDetectOneToFivePercentErrorsAfterAboutAHundredRequests() {
        // the worked figure of docs/health.md: healthy 1% given, the effect '> 5%', one request at a time
        SequentialRateJudge.Settings settings = new SequentialRateJudge.Settings(Effect.parse("> 5%"), 0.01, 0.1,
                0.01);
        long[] requests = new long[1000];
        int tripped = 0;
        Random random = new Random(42);
        for (int run = 0; run < requests.length; run++) {
            SequentialRateJudge judge = new SequentialRateJudge(settings, RateCounts.NONE);
            Judgement judgement = judge.current();
            while (!judgement.decision().isFinal()) {
                judgement = judge.add(new RateCounts(random.nextDouble() < 0.05 ? 1 : 0, 1));
            }
            tripped += judgement.decision() == Decision.TRIP ? 1 : 0;
            requests[run] = judgement.sampleSize();
        }
        java.util.Arrays.sort(requests);
        System.out.printf("1%% -> 5%%: %d of 1000 tripped, median %d requests, p95 %d%n", tripped, requests[500],
                requests[950]);
        assertThat(tripped).as("no early pass: at 5% the ratio drifts up until it trips").isEqualTo(1000);
        assertThat(requests[500]).isBetween(60L, 120L);
    }

    @Test
    void shouldNeverPassBelowItsMinimumSample() {
        SequentialRateJudge judge = new SequentialRateJudge(DEFAULTS, new RateCounts(10, 1000));
        double q0 = judge.healthyRate();
        double q1 = judge.badRate();
        assertThat(judge.minimumSample()).isEqualTo((long) Math.ceil(Math.log(0.1 / 0.99) / Math.log((1 - q1) / (1 - q0))))
                .isEqualTo(135);
        for (int i = 0; i < 13; i++) {
            assertThat(judge.add(new RateCounts(0, 10)).decision()).isEqualTo(Decision.CONTINUE);
        }
        Judgement end = judge.end();
        assertThat(end.decision()).as("130 good requests: all healthy, but too few").isEqualTo(Decision.INCONCLUSIVE);
        assertThat(end.rule()).contains("only 130 of the 135 trials needed to pass");
        assertThat(judge.add(new RateCounts(0, 10)).decision()).as("no pass before the end of the watch")
                .isEqualTo(Decision.CONTINUE);
        assertThat(judge.end().decision()).as("140 good requests at the end").isEqualTo(Decision.PASS);
        assertThat(judge.end().rule()).contains("below the pass bound -2.29");
    }

    @Test
    void shouldStillTripABadDeployThatStartedWellInsteadOfPassingItEarly() {
        SequentialRateJudge judge = new SequentialRateJudge(DEFAULTS, new RateCounts(10, 1000));
        judge.add(new RateCounts(0, 200)); // a good start: Wald's test would have passed here and stopped watching
        assertThat(judge.logLikelihoodRatio()).isLessThan(Math.log(0.1 / 0.99));
        assertThat(judge.current().decision()).isEqualTo(Decision.CONTINUE);
        Judgement later = null;
        for (int i = 0; i < 10 && (later == null || later.decision() != Decision.TRIP); i++) {
            later = judge.add(new RateCounts(5, 50)); // then 10% errors
        }
        assertThat(later.decision()).isEqualTo(Decision.TRIP);
        assertThat(later.rule()).contains("reached the trip bound 4.61"); // ln(1 / 0.01)
    }

    @Test
    void shouldPassAtTheEndOfTheWatchOnlyBelowThePassBound() {
        SequentialRateJudge clear = new SequentialRateJudge(DEFAULTS, new RateCounts(10, 1000));
        clear.add(new RateCounts(1, 400));
        assertThat(clear.current().decision()).isEqualTo(Decision.CONTINUE);
        assertThat(clear.end().decision()).isEqualTo(Decision.PASS);

        SequentialRateJudge leaning = new SequentialRateJudge(DEFAULTS, new RateCounts(10, 1000));
        leaning.add(new RateCounts(3, 200)); // nearer healthy than bad, but not by enough
        assertThat(leaning.logLikelihoodRatio()).isBetween(Math.log(0.1 / 0.99), 0.0);
        assertThat(leaning.end().decision()).isEqualTo(Decision.INCONCLUSIVE);
        assertThat(leaning.end().rule()).contains("too little evidence either way");

        SequentialRateJudge doubtful = new SequentialRateJudge(DEFAULTS, new RateCounts(10, 1000));
        doubtful.add(new RateCounts(6, 200));
        assertThat(doubtful.logLikelihoodRatio()).isBetween(0.0, 4.5);
        assertThat(doubtful.end().decision()).isEqualTo(Decision.INCONCLUSIVE);
    }

    @Test
    void shouldPassADeployAtTheEffectsBadRateAtMostAboutBetaOfTheTime() {
        // generated: 300 requests (above the minimum sample of 135) each at exactly the bad rate the judge looks
        // for; a pass is a missed bad deploy
        SequentialRateJudge probe = new SequentialRateJudge(DEFAULTS, new RateCounts(10, 1000));
        double bad = probe.badRate();
        Random random = new Random(20261203);
        int runs = 5000;
        int passed = 0;
        int leaning = 0; // what the rule before passed: a ratio at most 0 at the end
        for (int run = 0; run < runs; run++) {
            SequentialRateJudge judge = new SequentialRateJudge(DEFAULTS, new RateCounts(10, 1000));
            for (int i = 0; i < 300; i++) {
                judge.add(new RateCounts(random.nextDouble() < bad ? 1 : 0, 1));
            }
            passed += judge.end().decision() == Decision.PASS ? 1 : 0;
            leaning += judge.end().decision() != Decision.TRIP && judge.logLikelihoodRatio() <= 0 ? 1 : 0;
        }
        System.out.printf("at the effect's rate: %d of %d passed at the end (%d leaned healthy)%n", passed, runs,
                leaning);
        // Wald: beta / (1 - alpha) = 0.101, plus 3.5 standard errors of 5,000 runs
        assertThat((double) passed / runs).isLessThanOrEqualTo(0.116);
        assertThat((double) leaning / runs).as("the rule before let far more than beta pass").isGreaterThan(0.15);
    }

    @Test
    void shouldTakeTheUpperBoundOfAZeroBaselineNeverZero() {
        SequentialRateJudge judge = new SequentialRateJudge(DEFAULTS, new RateCounts(0, 300));
        double z = 1.6448536269514722;
        assertThat(judge.healthyRate()).isCloseTo(z * z / (300 + z * z), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(judge.healthyRate()).isGreaterThan(0.008);
        assertThat(judge.badRate()).isCloseTo(judge.healthyRate() + 0.01, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void shouldBeInconclusiveWithoutBaselineTrafficUnlessTheAllowedRateIsGiven() {
        SequentialRateJudge none = new SequentialRateJudge(DEFAULTS, RateCounts.NONE);
        assertThat(none.add(new RateCounts(50, 100)).decision()).isEqualTo(Decision.CONTINUE);
        assertThat(none.end().decision()).isEqualTo(Decision.INCONCLUSIVE);
        assertThat(none.end().rule()).contains("no baseline traffic", "analysis.allowedRate");

        SequentialRateJudge allowed = new SequentialRateJudge(new SequentialRateJudge.Settings(null, 0.01, 0.1, 0.02),
                RateCounts.NONE);
        assertThat(allowed.healthyRate()).isEqualTo(0.02);
        assertThat(allowed.badRate()).isEqualTo(0.04);
        assertThat(allowed.add(new RateCounts(50, 100)).decision()).isEqualTo(Decision.TRIP);
    }

    @Test
    void shouldJudgeTheFailuresOfASuccessRateThatDrops() {
        // payment success 0.97 before; "drop > 20%" means success 0.776 or less, failures 22.4% or more
        SequentialRateJudge.Settings drop = new SequentialRateJudge.Settings(Effect.parse("drop > 20%"), 0.01, 0.1,
                0.97);
        SequentialRateJudge judge = new SequentialRateJudge(drop, RateCounts.NONE);
        assertThat(judge.healthyRate()).isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(judge.badRate()).isCloseTo(0.224, org.assertj.core.data.Offset.offset(1e-12));
        int payments = 0;
        Decision decision = Decision.CONTINUE;
        Random random = new Random(7);
        while (!decision.isFinal()) { // one payment at a time, 77% succeed
            payments++;
            decision = judge.add(new RateCounts(random.nextDouble() < 0.77 ? 1 : 0, 1)).decision();
        }
        assertThat(decision).isEqualTo(Decision.TRIP);
        assertThat(payments).isLessThan(100);
        assertThat(judge.end().rule()).contains("failures");
    }

    @Test
    void shouldRefuseAnEffectTheHealthyRateAlreadyReaches() {
        SequentialRateJudge judge = new SequentialRateJudge(new SequentialRateJudge.Settings(Effect.parse("> 5%"),
                0.01, 0.1, null), new RateCounts(60, 1000));
        assertThat(judge.end().decision()).isEqualTo(Decision.INCONCLUSIVE);
        assertThat(judge.end().rule()).contains("is already at the effect's 5%");
    }

    @Test
    void shouldNameTheFieldOfABadSetting() {
        assertThatThrownBy(() -> new SequentialRateJudge.Settings(null, 0.7, 0.1, null))
                .hasMessage("analysis.alpha: must be above 0 and below 0.5, e.g. 0.01, got 0.7");
        assertThatThrownBy(() -> new SequentialRateJudge.Settings(null, 0.01, 0.1, 1.5))
                .hasMessage("analysis.allowedRate: must be above 0 and below 1, e.g. 0.02 for 2%, got 1.5");
    }
}
