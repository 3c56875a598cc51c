package io.jenkins.plugins.rollbackguard.engine.health;

import io.jenkins.plugins.rollbackguard.engine.health.judge.Effect;
import io.jenkins.plugins.rollbackguard.engine.health.judge.JudgeKind;
import io.jenkins.plugins.rollbackguard.engine.health.judge.MannWhitneyJudge;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * How a probe is sampled and judged. Every component may be omitted in a policy file; the compact
 * constructor fills the defaults and validates, naming the field ({@code analysis.x}) and bad value.
 *
 * @param interval
 *         time between samples, default {@code 10s}
 * @param count
 *         how many samples to take; when absent, {@code duration / interval} samples are taken
 * @param duration
 *         how long to watch when {@code count} is absent, default {@code 5m}
 * @param initialDelay
 *         wait before the first sample, default {@code 0s}
 * @param failureLimit
 *         failures tolerated: FAILED once failures exceed it (0 trips on the first failure). Default 0,
 *         or no limit when {@code consecutiveFailureLimit} or {@code window} is set
 * @param consecutiveFailureLimit
 *         consecutive failures tolerated, absent for no limit
 * @param window
 *         FAILED when {@code n} of the last {@code m} counted samples failed; absent for none
 * @param consecutiveErrorLimit
 *         consecutive provider errors tolerated before {@code onError} applies, default 4
 * @param inconclusiveLimit
 *         inconclusive samples tolerated before the probe is INCONCLUSIVE, default 0
 * @param minSamples
 *         counted samples (not errors, not ignored) needed for PASSED, default 1
 * @param onError
 *         what exceeding {@code consecutiveErrorLimit} leads to, default inconclusive
 * @param onNoData
 *         what a no-data sample counts as, default inconclusive
 * @param dryRun
 *         evaluate and report, but never trip (the verdict is PASSED and says what it would have been)
 * @param baselineSamples
 *         samples whose median is the baseline for relative thresholds, default 5 (20 for {@code judge: mann-whitney},
 *         whose U test needs 10 at least)
 * @param judge
 *         how samples are judged: {@code threshold} (default: each sample against failIf/successIf, counted by the
 *         limits), {@code sequential} (a sequential test of the rate {@code events / trials}) or {@code mann-whitney}
 *         (the values after the deploy against the baseline's by a U test); see docs/health.md
 * @param effect
 *         the change a statistical judge looks for: {@code rise > 50%}, {@code drop > 20%} (the events are
 *         successes), {@code rise > 2pp}, {@code > 5%}; default for sequential twice the healthy rate and at least
 *         +1pp, for mann-whitney {@code rise > 50%} of the median
 * @param alpha
 *         the probability that this probe trips a healthy deploy, however often it looks; a deploy's is at most
 *         the sum of its judged probes' alphas; default 0.01
 * @param beta
 *         the probability that the sequential judge misses the effect; default 0.1
 * @param allowedRate
 *         the healthy rate of the counted events for the sequential judge (the highest error rate, or the lowest
 *         success rate for a drop); default: the upper 95% bound of the baseline's rate
 * @param events
 *         what the sequential judge counts: a PromQL query for a Prometheus probe, a JSON pointer into the answer of
 *         an HTTP probe or the output of a command probe
 * @param trials
 *         what the events are out of, in the same form as {@code events}
 * @param counters
 *         whether {@code events} and {@code trials} are cumulative counters (each sample counts the difference with
 *         the one before, a decrease being a reset), default false: each sample's counts are its own
 * @param baselineWindow
 *         for a Prometheus rate probe with counters: the baseline is the counters' increase over this window before
 *         the deploy, read from Prometheus' history in one pair of readings (at the deploy's start and this long
 *         before it) instead of {@code baselineSamples} samples taken while the deploy waits; default none
 */
public record AnalysisSettings(String interval, Integer count, String duration, String initialDelay,
                               Integer failureLimit, Integer consecutiveFailureLimit, Window window,
                               Integer consecutiveErrorLimit, Integer inconclusiveLimit, Integer minSamples,
                               ErrorPolicy onError, ErrorPolicy onNoData, Boolean dryRun, Integer baselineSamples,
                               String judge, String effect, Double alpha, Double beta, Double allowedRate,
                               String events, String trials, Boolean counters,
                               String baselineWindow)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Fills defaults and validates. */
    public AnalysisSettings {
        interval = interval == null ? "10s" : interval;
        if (Durations.parse("analysis.interval", interval).isZero()) {
            throw new IllegalArgumentException("analysis.interval: must be positive, got '" + interval + "'");
        }
        duration = duration == null && count == null ? "5m" : duration;
        initialDelay = initialDelay == null ? "0s" : initialDelay;
        Durations.parse("analysis.initialDelay", initialDelay);
        if (duration != null) {
            Durations.parse("analysis.duration", duration);
        }
        count = positive("analysis.count", count, null);
        boolean otherLimits = consecutiveFailureLimit != null || window != null;
        failureLimit = atLeastZero("analysis.failureLimit", failureLimit, otherLimits ? Integer.MAX_VALUE : 0);
        consecutiveFailureLimit = atLeastZero("analysis.consecutiveFailureLimit", consecutiveFailureLimit, null);
        consecutiveErrorLimit = atLeastZero("analysis.consecutiveErrorLimit", consecutiveErrorLimit, 4);
        inconclusiveLimit = atLeastZero("analysis.inconclusiveLimit", inconclusiveLimit, 0);
        minSamples = atLeastZero("analysis.minSamples", minSamples, 1);
        onError = onError == null ? ErrorPolicy.INCONCLUSIVE : onError;
        onNoData = onNoData == null ? ErrorPolicy.INCONCLUSIVE : onNoData;
        dryRun = dryRun != null && dryRun;
        JudgeKind kind = JudgeKind.parse(judge);
        judge = kind.text();
        baselineSamples = positive("analysis.baselineSamples", baselineSamples,
                kind == JudgeKind.MANN_WHITNEY ? MannWhitneyJudge.DEFAULT_MIN_SAMPLES : 5);
        JudgeSettings.check(kind, effect, alpha, beta, allowedRate, events, trials, counters);
        counters = counters != null && counters;
        baselineWindow = baselineWindow == null || baselineWindow.isBlank() ? null : baselineWindow.strip();
        if (baselineWindow != null) {
            checkBaselineWindow(kind, counters, baselineWindow);
        }
    }

    private static void checkBaselineWindow(final JudgeKind kind, final boolean counters, final String window) {
        if (kind != JudgeKind.SEQUENTIAL || !counters) {
            throw new IllegalArgumentException(("analysis.baselineWindow: '%s' reads the counters' history, so it "
                    + "needs judge: sequential with counters: true; add both or remove analysis.baselineWindow")
                    .formatted(window));
        }
        if (Durations.parse("analysis.baselineWindow", window).isZero()) {
            throw new IllegalArgumentException("analysis.baselineWindow: must be positive, got '" + window
                    + "'; give a window such as 1h, or remove it to sample the baseline");
        }
    }

    /** @return the history window of the baseline, empty when the baseline is sampled */
    public java.util.Optional<Duration> baselineWindowDuration() {
        return baselineWindow == null ? java.util.Optional.empty()
                : java.util.Optional.of(Durations.parse("analysis.baselineWindow", baselineWindow));
    }

    /**
     * Creates settings without a statistical judge: the form before issue 18, kept for code and tests.
     *
     * @param interval
     *         see the record
     * @param count
     *         see the record
     * @param duration
     *         see the record
     * @param initialDelay
     *         see the record
     * @param failureLimit
     *         see the record
     * @param consecutiveFailureLimit
     *         see the record
     * @param window
     *         see the record
     * @param consecutiveErrorLimit
     *         see the record
     * @param inconclusiveLimit
     *         see the record
     * @param minSamples
     *         see the record
     * @param onError
     *         see the record
     * @param onNoData
     *         see the record
     * @param dryRun
     *         see the record
     * @param baselineSamples
     *         see the record
     */
    @SuppressWarnings("checkstyle:ParameterNumber") // the record's own components
    public AnalysisSettings(final String interval, final Integer count, final String duration,
            final String initialDelay, final Integer failureLimit, final Integer consecutiveFailureLimit,
            final Window window, final Integer consecutiveErrorLimit, final Integer inconclusiveLimit,
            final Integer minSamples, final ErrorPolicy onError, final ErrorPolicy onNoData, final Boolean dryRun,
            final Integer baselineSamples) {
        this(interval, count, duration, initialDelay, failureLimit, consecutiveFailureLimit, window,
                consecutiveErrorLimit, inconclusiveLimit, minSamples, onError, onNoData, dryRun, baselineSamples, null,
                null, null, null, null, null, null, null, null);
    }

    /** @return how samples are judged */
    public JudgeKind judgeKind() {
        return JudgeKind.parse(judge);
    }

    /** @return the effect a statistical judge looks for, or null for its default */
    public Effect effectValue() {
        return effect == null || effect.isBlank() ? null : Effect.parse(effect);
    }

    /** @return the defaults: every 10 s for 5 min, Argo limits */
    public static AnalysisSettings defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults, for code and tests */
    public static AnalysisSettingsBuilder builder() {
        return new AnalysisSettingsBuilder();
    }

    private static Integer positive(final String field, final Integer value, final Integer fallback) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(field + ": must be at least 1, got " + value);
        }
        return value == null ? fallback : value;
    }

    private static Integer atLeastZero(final String field, final Integer value, final Integer fallback) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(field + ": must be 0 or more, got " + value);
        }
        return value == null ? fallback : value;
    }

    /** @return the interval between samples */
    public Duration intervalDuration() {
        return Durations.parse("analysis.interval", interval);
    }

    /** @return the wait before the first sample */
    public Duration initialDelayDuration() {
        return Durations.parse("analysis.initialDelay", initialDelay);
    }

    /** @return how many samples the probe takes: {@code count}, or {@code duration / interval} (at least 1) */
    public int plannedSamples() {
        if (count != null) {
            return count;
        }
        long planned = Durations.parse("analysis.duration", duration).toMillis() / intervalDuration().toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, planned));
    }

    /**
     * N failures among the last M counted samples.
     *
     * @param n
     *         failures that trip, at least 1
     * @param m
     *         the window size, at least n
     */
    public record Window(int n, int m) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L; // first release
        private static final java.util.regex.Pattern TEXT = java.util.regex.Pattern.compile(
                "(\\d{1,9})\\s*(?:of|/)\\s*(\\d{1,9})");

        /** Validates. */
        public Window {
            if (n < 1 || m < n) {
                throw new IllegalArgumentException(
                        "analysis.window: need 1 <= n <= m, got n=%d, m=%d".formatted(n, m));
            }
        }

        /**
         * Reads the one-line form {@code "3 of 5"} (or {@code "3/5"}) of {@code window: {n: 3, m: 5}}, which hosts
         * whose settings are single texts use (a Pipeline step's inline probe).
         *
         * @param text
         *         the window text
         * @return the window
         * @throws IllegalArgumentException
         *         naming the field and the value when the text is no window
         */
        public static Window parse(final String text) {
            String given = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
            java.util.regex.Matcher matcher = TEXT.matcher(given);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("analysis.window: expected 'n of m' such as '3 of 5' (fail when 3 "
                        + "of the last 5 samples failed), got '" + text + "'");
            }
            return new Window(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
        }
    }
}
