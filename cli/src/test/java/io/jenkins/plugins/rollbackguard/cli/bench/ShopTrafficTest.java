package io.jenkins.plugins.rollbackguard.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;
import org.junit.jupiter.api.Test;

/** Tests that the replay benchmark's simulator is deterministic and gives the rates docs/benchmarks.md states. */
class ShopTrafficTest {
    private static final int END = ShopTraffic.WATCH_SECONDS;
    private static final int FIRST = -ShopTraffic.BASELINE_SECONDS;
    /** Busy hours weigh more: over requests, a rate swinging with the traffic averages {@code 1 + swing^2 / 2} times its daily mean. */
    private static final double WEIGHT = 1 + ShopTraffic.DAILY_SWING * ShopTraffic.DAILY_SWING / 2;

    @Test
    void shouldGiveTheSameTraceForTheSameSeed() {
        ShopTraffic traffic = new ShopTraffic(10);
        Trace first = traffic.deploy(42, true);
        Trace again = traffic.deploy(42, true);
        Trace other = traffic.deploy(43, true);
        assertThat(again.startOfDay()).isEqualTo(first.startOfDay());
        for (int t = FIRST; t < END; t += 7) {
            assertThat(again.requests(t)).isEqualTo(first.requests(t));
            assertThat(again.errors(t)).isEqualTo(first.errors(t));
            assertThat(again.paymentsOk(t)).isEqualTo(first.paymentsOk(t));
            assertThat(again.latency(t)).isEqualTo(first.latency(t));
        }
        assertThat(other.requests(END)).isNotEqualTo(first.requests(END));
    }

    @Test
    void shouldGiveTheHealthyErrorRateAndPaymentSuccessOverManyRequests() {
        ShopTraffic traffic = new ShopTraffic(10);
        long requests = 0;
        long errors = 0;
        long payments = 0;
        long ok = 0;
        for (int i = 0; i < 2000; i++) {
            Trace trace = traffic.deploy(DetectionBenchmark.deploySeed(7, 0, i, false), false);
            requests += trace.requests(END);
            errors += trace.errors(END);
            payments += trace.payments(END);
            ok += trace.paymentsOk(END);
        }
        assertThat((double) errors / requests).isCloseTo(ShopTraffic.HEALTHY_ERRORS * WEIGHT, within(0.0003));
        assertThat((double) payments / requests).isCloseTo(ShopTraffic.PAYMENT_SHARE, within(0.002));
        assertThat((double) ok / payments).isCloseTo(1 - (1 - ShopTraffic.HEALTHY_PAYMENT_SUCCESS) * WEIGHT,
                within(0.002));
        assertThat(requests / (2000.0 * (END - FIRST))).isCloseTo(10, within(0.2));
    }

    @Test
    void shouldGiveTheBadVersionsRatesAfterTheDeployOnly() {
        ShopTraffic traffic = new ShopTraffic(100);
        Trace trace = traffic.deploy(new SplittableRandom(5), 8 * 3600 - 300, true); // swing 1 at the deploy
        assertThat((double) (trace.errors(END) - trace.errors(0)) / trace.requestsSinceDeploy(END))
                .isCloseTo(ShopTraffic.BAD_ERRORS, within(0.004));
        assertThat((double) trace.errors(0) / (trace.requests(0) - trace.requests(FIRST)))
                .isCloseTo(ShopTraffic.HEALTHY_ERRORS, within(0.002));
        assertThat((double) (trace.paymentsOk(END) - trace.paymentsOk(0)) / (trace.payments(END) - trace.payments(0)))
                .isCloseTo(ShopTraffic.BAD_PAYMENT_SUCCESS, within(0.02));
    }

    @Test
    void shouldSwingTheTrafficOnADailySine() {
        assertThat(ShopTraffic.daily(14 * 3600)).isCloseTo(1.3, within(1e-9));
        assertThat(ShopTraffic.daily(2 * 3600)).isCloseTo(0.7, within(1e-9));
        assertThat(ShopTraffic.daily(8 * 3600)).isCloseTo(1.0, within(1e-9));
        ShopTraffic traffic = new ShopTraffic(100);
        double seconds = END - FIRST;
        double peak = traffic.deploy(new SplittableRandom(1), 14 * 3600, false).requests(END) / seconds;
        double trough = traffic.deploy(new SplittableRandom(1), 2 * 3600, false).requests(END) / seconds;
        assertThat(peak).isCloseTo(130, within(2.0));
        assertThat(trough).isCloseTo(70, within(2.0));
        double slowAtPeak = ShopTraffic.medianLatency(ShopTraffic.daily(14 * 3600), false);
        assertThat(slowAtPeak).isCloseTo(1.3 * ShopTraffic.LATENCY_MEDIAN_MS, within(1e-9));
    }

    @Test
    void shouldDrawPoissonAndBinomialCountsWithTheirMeans() {
        SplittableRandom random = new SplittableRandom(9);
        long poisson = 0;
        long binomial = 0;
        for (int i = 0; i < 20_000; i++) {
            poisson += ShopTraffic.poisson(random, 73.5);
            binomial += ShopTraffic.binomial(random, 200, 0.97);
        }
        assertThat(poisson / 20_000.0).isCloseTo(73.5, within(0.3));
        assertThat(binomial / 20_000.0).isCloseTo(194, within(0.1));
    }

    @Test
    void shouldTripTheSeedErrorRateProbeOnABadDeployThroughTheEngine() {
        Trace bad = new ShopTraffic(100).deploy(new SplittableRandom(3), 10 * 3600, true);
        Trace healthy = new ShopTraffic(100).deploy(new SplittableRandom(3), 10 * 3600, false);
        Policy seed = Policy.seed();
        assertThat(seed.run(bad, false).runs().get(Report.ERRORS).status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(seed.run(healthy, false).runs().get(Report.ERRORS).status()).isEqualTo(VerdictStatus.PASSED);
        assertThat(seed.run(healthy, true).status()).isEqualTo(VerdictStatus.INCONCLUSIVE);
    }

    @Test
    void shouldSpreadEachSecondOverItsQuartersAndAgreeAtWholeSeconds() {
        Trace trace = new ShopTraffic(100).deploy(7, true);
        long moved = 0;
        for (long ms = 0; ms <= ShopTraffic.WATCH_SECONDS * 1000L; ms += Trace.TICK_MILLIS) {
            if (ms % 1000 == 0) {
                int t = (int) (ms / 1000);
                assertThat(trace.requestsAt(ms)).isEqualTo(trace.requests(t));
                assertThat(trace.errorsAt(ms)).isEqualTo(trace.errors(t));
                assertThat(trace.paymentsAt(ms)).isEqualTo(trace.payments(t));
                assertThat(trace.paymentsOkAt(ms)).isEqualTo(trace.paymentsOk(t));
            }
            if (ms > 0) {
                long step = trace.requestsAt(ms) - trace.requestsAt(ms - Trace.TICK_MILLIS);
                assertThat(step).isNotNegative();
                assertThat(trace.errorsAt(ms) - trace.errorsAt(ms - Trace.TICK_MILLIS)).isBetween(0L, step);
                assertThat(trace.paymentsOkAt(ms)).isLessThanOrEqualTo(trace.paymentsAt(ms));
                moved += step > 0 ? 1 : 0;
            }
        }
        // at 100 requests a second a quarter second brings about 25: nearly every quarter moves
        assertThat(moved).isGreaterThan(ShopTraffic.WATCH_SECONDS * 4L * 9 / 10);
        assertThat(trace.requestsSinceDeployAt(1250)).isEqualTo(trace.requestsAt(1250) - trace.requests(0));
        assertThatThrownBy(() -> trace.requestsAt(100)).hasMessageContaining("250 ms");
        assertThatThrownBy(() -> trace.requestsAt(-250)).hasMessageContaining("by the second");
    }
}
