package io.jenkins.plugins.rollbackguard.cli.bench;

import java.util.ArrayList;
import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;

/**
 * A policy's probes replayed together over one deploy: the deploy trips when any probe trips, at the first trip (the
 * watch stops the other probes then).
 *
 * @param name
 *         the policy's name in the tables
 * @param probes
 *         its probes
 */
record Policy(String name, List<ReplayedProbe> probes) {
    /** Seconds of the payment success query's window ({@code rate(...[2m])} in docs/health.md). */
    static final int PAYMENT_WINDOW = 120;
    /** Seconds of the error ratio query's window ({@code rate(...[1m])}). */
    static final int ERROR_WINDOW = 60;
    static final String PAYMENTS = "payment-success";
    static final String ERRORS = "error-rate";
    static final String LATENCY = "page-load";
    /** Every policy's probes, in this order. */
    static final List<String> PROBES = List.of(PAYMENTS, ERRORS, LATENCY);

    /**
     * The seed policy of docs/health.md ("Examples"), thresholds and analysis settings as written, every other
     * setting at its documented default. Its {@code health} probe is left out: the model has no health endpoint.
     *
     * @return the policy
     */
    static Policy seed() {
        return new Policy("(b) seed thresholds", List.of(
                threshold(PAYMENTS, "drop > 20%", AnalysisSettings.builder().interval("30s").duration("10m")
                        .baselineSamples(5).build(), (trace, t) -> trace.paymentSuccess(t, PAYMENT_WINDOW)),
                threshold(ERRORS, "> 5%", AnalysisSettings.builder().interval("15s").duration("5m")
                        .failureLimit(1).build(), (trace, t) -> trace.errorRatio(t, ERROR_WINDOW)),
                threshold(LATENCY, "rise > 50%", AnalysisSettings.builder().interval("10s").count(30)
                        .window(3, 5).build(), Trace::latency)));
    }

    /**
     * The seed policy's probes, queries and thresholds, with Argo Rollouts' counting rule alone: one interval and
     * one failureLimit for every probe, each probe watched as long as in the seed policy.
     *
     * @param interval
     *         seconds between samples
     * @param failureLimit
     *         failures tolerated
     * @return the policy
     */
    static Policy argo(final int interval, final int failureLimit) {
        return new Policy("(a) argo %ds, failureLimit %d".formatted(interval, failureLimit), List.of(
                threshold(PAYMENTS, "drop > 20%", argoSettings(interval, 600, failureLimit),
                        (trace, t) -> trace.paymentSuccess(t, PAYMENT_WINDOW)),
                threshold(ERRORS, "> 5%", argoSettings(interval, 300, failureLimit),
                        (trace, t) -> trace.errorRatio(t, ERROR_WINDOW)),
                threshold(LATENCY, "rise > 50%", argoSettings(interval, 300, failureLimit), Trace::latency)));
    }

    private static ReplayedProbe threshold(final String name, final String failIf, final AnalysisSettings settings,
            final java.util.function.ToDoubleBiFunction<Trace, Integer> value) {
        return new EngineProbe(name, failIf, settings, false, EngineProbe.value(value));
    }

    private static AnalysisSettings argoSettings(final int interval, final int duration, final int failureLimit) {
        return AnalysisSettings.builder().interval(interval + "s").count(Math.max(1, duration / interval))
                .failureLimit(failureLimit).baselineSamples(5).build();
    }

    /**
     * Replays every probe over a deploy.
     *
     * @param trace
     *         the deploy
     * @param noData
     *         whether the provider answers nothing
     * @return the deploy's outcome
     */
    Outcome run(final Trace trace, final boolean noData) {
        List<ReplayedProbe.Run> runs = new ArrayList<>();
        for (ReplayedProbe probe : probes) {
            runs.add(probe.run(trace, noData));
        }
        return new Outcome(runs);
    }

    /**
     * What a policy's probes did over one deploy.
     *
     * @param runs
     *         each probe's verdict, in the policy's order
     */
    record Outcome(List<ReplayedProbe.Run> runs) {
        /** @return the watch's verdict: FAILED if any probe failed, else INCONCLUSIVE if any was, else PASSED */
        VerdictStatus status() {
            if (runs.stream().anyMatch(ReplayedProbe.Run::tripped)) {
                return VerdictStatus.FAILED;
            }
            return runs.stream().anyMatch(r -> r.status() == VerdictStatus.INCONCLUSIVE) ? VerdictStatus.INCONCLUSIVE
                    : VerdictStatus.PASSED;
        }
    }
}
