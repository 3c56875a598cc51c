package io.jenkins.plugins.rollbackguard.engine.health;

import io.jenkins.plugins.rollbackguard.engine.health.judge.Decision;
import io.jenkins.plugins.rollbackguard.engine.health.judge.JudgeKind;
import io.jenkins.plugins.rollbackguard.engine.health.judge.Judgement;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The judging state machine of one probe, free of time and I/O: feed it raw measurements with
 * {@link #record(Measurement)}; it classifies each by the thresholds, counts it, and turns FAILED as
 * soon as a limit is crossed. Semantics follow Argo Rollouts (see docs/health.md). Thread-safe.
 * Create one with the constructor, or from a persisted {@link AnalysisSnapshot} with {@link #restore}.
 *
 * <p>The readings of cumulative counters ({@code counters: true}) are kept folded: a successful reading without a
 * note is folded into the one before it (also such a reading, not the first of the watch) while that one stands for
 * less than {@link #FOLD_SPAN} of readings. The judge still sees every reading; what is kept, written to the ledger
 * while the watch goes on and replayed after a restart, has at most one entry per 10 s however often the counters
 * are read (a 250 ms reading for 10 minutes keeps about 60, not 2,400), and a replay counts the same, because
 * counter readings telescope. Errors, no data, resets and the reading that trips are kept as they came.
 */
public final class Analysis {
    private static final String THRESHOLD_TRIPPED = "threshold tripped";
    /** The longest run of counter readings kept as one. */
    static final java.time.Duration FOLD_SPAN = java.time.Duration.ofSeconds(10);
    private final String probe;
    private final AnalysisSettings settings;
    private final Thresholds thresholds;
    private final Baseline baseline;
    private final int planned; // parsed once: asked for on every sample
    private final Metric metric;
    private final List<Measurement> measurements = new ArrayList<>(); // folded: see the class comment
    private final int foldLimit; // readings one kept entry may stand for: 1 when nothing is folded
    private int taken; // readings recorded, folded or not
    private int started = -1; // the entry of the first counter reading, which only starts the count; -1 before it
    private final Deque<Boolean> window = new ArrayDeque<>();
    private int counted;
    private int failures;
    private int consecutiveFailures;
    private int consecutiveErrors;
    private int inconclusives;
    private String trip; // first limit crossed; kept (not acted on) in a dry run
    private int tripSamples; // samples taken when the trip was found: its deciding sample is the last of them
    private String tripWindow;
    private String crossedWindow; // the samples the window rule looked at, when it is the rule crossed
    private Verdict verdict;
    private final ProbeJudge judge; // the statistical judge, null for thresholds only
    private Judgement judgement; // the judge's last word, null before its first

    /**
     * Creates an analysis.
     *
     * @param probe
     *         the probe name
     * @param settings
     *         limits and policies
     * @param thresholds
     *         failIf/successIf
     * @param baseline
     *         the baseline for relative thresholds ({@link Baseline#none} if not sampled)
     */
    public Analysis(final String probe, final AnalysisSettings settings, final Thresholds thresholds,
            final Baseline baseline) {
        this(probe, settings, thresholds, baseline, new Metric("", ""));
    }

    /**
     * Creates an analysis that knows what its probe measures, for the verdict's explanation, with the statistical
     * judge its settings name ({@code analysis.judge}).
     *
     * @param probe
     *         the probe name
     * @param settings
     *         limits and policies
     * @param thresholds
     *         failIf/successIf
     * @param baseline
     *         the baseline, with its samples for a statistical judge
     * @param metric
     *         what the probe measures and in which unit
     */
    public Analysis(final String probe, final AnalysisSettings settings, final Thresholds thresholds,
            final Baseline baseline, final Metric metric) {
        this.probe = probe;
        this.settings = settings;
        this.thresholds = thresholds;
        this.baseline = baseline;
        this.planned = settings.plannedSamples();
        this.foldLimit = settings.counters() && settings.judgeKind() == JudgeKind.SEQUENTIAL && !settings.dryRun()
                ? (int) Math.max(1, FOLD_SPAN.toMillis() / Math.max(1, settings.intervalDuration().toMillis())) : 1;
        this.metric = metric;
        this.judge = settings.judgeKind() == JudgeKind.THRESHOLD ? null
                : new ProbeJudge(settings, baseline, planned);
    }

    /**
     * Creates an analysis for a spec.
     *
     * @param spec
     *         the probe's configuration
     * @param baseline
     *         the baseline
     * @return the analysis
     */
    public static Analysis of(final ProbeSpec spec, final Baseline baseline) {
        return new Analysis(spec.name(), spec.analysis(), spec.thresholds(), baseline, Metric.of(spec));
    }

    /**
     * Recreates an analysis from a snapshot by replaying its measurements through the
     * counters and the statistical judge, which thus stands where it stood.
     *
     * @param spec
     *         the probe's configuration (the same as when the snapshot was taken)
     * @param snapshot
     *         the persisted state
     * @return the analysis, final if it was final
     */
    public static Analysis restore(final ProbeSpec spec, final AnalysisSnapshot snapshot) {
        Analysis analysis = of(spec, snapshot.baseline());
        synchronized (analysis) {
            for (Measurement m : snapshot.measurements()) {
                if (analysis.verdict == null) {
                    analysis.count(m);
                }
            }
        }
        return analysis;
    }

    /** @return the persistable state */
    public synchronized AnalysisSnapshot snapshot() {
        return new AnalysisSnapshot(probe, baseline, measurements);
    }

    /** @return what the probe measures, and in which unit */
    public Metric metric() {
        return metric;
    }

    /** @return the settings */
    public AnalysisSettings settings() {
        return settings;
    }

    /**
     * Classifies and counts a raw measurement. Ignored once the analysis is final.
     *
     * @param raw
     *         a measurement as the probe returned it
     * @return the state after it
     */
    public synchronized AnalysisState record(final Measurement raw) {
        if (verdict == null) {
            count(classify(raw));
        }
        return state();
    }

    /**
     * Ends the analysis early (the watch was stopped, or another probe failed).
     *
     * @param reason
     *         why, for the explanation
     * @return the verdict: FAILED if a limit was already crossed, else INCONCLUSIVE
     */
    public synchronized Verdict stop(final String reason) {
        if (verdict == null) {
            finish(trip != null && !settings.dryRun() ? VerdictStatus.FAILED : VerdictStatus.INCONCLUSIVE,
                    "stopped after %d samples: %s".formatted(taken, reason));
        }
        return verdict;
    }

    /** @return the current state */
    public synchronized AnalysisState state() {
        Measurement last = measurements.isEmpty() ? null : measurements.get(measurements.size() - 1);
        return new AnalysisState(probe, taken, planned, failures, consecutiveErrors,
                inconclusives, last, verdict);
    }

    /** @return the verdict, if final */
    public synchronized Optional<Verdict> verdict() {
        return Optional.ofNullable(verdict);
    }

    private Measurement classify(final Measurement sampled) {
        Measurement raw = judge == null ? sampled : judge.check(sampled);
        if (raw.outcome() != Outcome.SUCCESS) {
            return raw;
        }
        boolean rate = settings.judgeKind() == JudgeKind.SEQUENTIAL;
        if (!rate && raw.optionalValue().isPresent() && Double.isInfinite(raw.value())) {
            return raw.classify(Outcome.NO_DATA, "the value is " + raw.value() + ": no number to judge");
        }
        if (thresholds.isEmpty() || rate && raw.optionalValue().isEmpty()) {
            return raw; // a rate's sample without trials has no ratio, but counts (none) all the same
        }
        if (raw.optionalValue().isEmpty()) {
            return raw.classify(Outcome.ERROR, "no value to compare with the thresholds");
        }
        Thresholds.Judgement judged = thresholds.judge(raw.value(), baseline.value());
        return switch (judged.verdict()) {
            case PASS -> raw;
            case FAIL -> raw.classify(Outcome.FAILURE, THRESHOLD_TRIPPED);
            case INCONCLUSIVE -> zeroBaseline() // the no-data table: onNoData decides what a zero baseline counts as
                    ? raw.classify(Outcome.NO_DATA, baselineReason(judged.reason()))
                    : raw.classify(Outcome.INCONCLUSIVE, baselineReason(judged.reason()));
        };
    }

    private boolean zeroBaseline() {
        return baseline.value().isPresent() && baseline.median() == 0;
    }

    private String baselineReason(final String reason) {
        return baseline.reason().isEmpty() ? reason : reason + ": " + baseline.reason();
    }

    private void count(final Measurement m) {
        measurements.add(m);
        taken += m.readingCount();
        Outcome outcome = m.outcome();
        if (outcome == Outcome.NO_DATA) {
            outcome = switch (settings.onNoData()) {
                case FAIL -> Outcome.FAILURE;
                case INCONCLUSIVE -> Outcome.INCONCLUSIVE;
                case IGNORE -> null;
            };
        }
        if (outcome == Outcome.ERROR) {
            consecutiveErrors++;
        }
        else if (outcome != null) {
            consecutiveErrors = 0;
            for (int i = 0; i < m.readingCount(); i++) { // a folded reading stands for several (a replay)
                countJudged(outcome);
            }
        }
        if (judge != null) {
            judgement = judge.add(m);
        }
        if (started < 0 && ProbeJudge.judgeable(m)) {
            started = measurements.size() - 1;
        }
        check();
        fold();
    }

    /** Folds the last reading into the one before it, when both are plain counter readings and nothing ended. */
    private void fold() {
        int n = measurements.size();
        // the first counter reading only starts the count, also when errors or no data came before it: a reading
        // folded into it would be replayed as the start, its counts lost
        if (foldLimit == 1 || verdict != null || trip != null || started < 0 || n - 2 <= started) {
            return;
        }
        Measurement last = measurements.get(n - 1);
        Measurement before = measurements.get(n - 2);
        if (plainReading(last) && plainReading(before)
                && before.readingCount() + last.readingCount() <= foldLimit) {
            measurements.remove(n - 1);
            measurements.set(n - 2, last.foldInto(before));
        }
    }

    /** A successful reading of counts without a note: its detail, if any, is only the probes' {@code 3 of 412}. */
    private static boolean plainReading(final Measurement m) {
        return m.outcome() == Outcome.SUCCESS && m.hasCounts()
                && (m.detail().isEmpty() || m.detail().equals(Measurement.countsDetail(m.events(), m.trials())));
    }

    private void countJudged(final Outcome outcome) {
        counted++;
        if (outcome == Outcome.FAILURE) {
            failures++;
            consecutiveFailures++;
        }
        else if (outcome == Outcome.SUCCESS) {
            consecutiveFailures = 0;
        }
        else {
            inconclusives++;
            return; // an inconclusive sample is no evidence either way: it neither enters the window nor ends a streak
        }
        window.addLast(outcome == Outcome.FAILURE);
        if (settings.window() != null && window.size() > settings.window().m()) {
            window.removeFirst();
        }
    }

    private void check() {
        Optional<String> failed = crossedFailureLimit();
        if (failed.isPresent()) {
            if (trip == null) {
                trip = failed.get();
                tripSamples = measurements.size();
                tripWindow = crossedWindow;
            }
            if (!settings.dryRun()) {
                finish(VerdictStatus.FAILED, failed.get());
                return;
            }
        }
        Optional<String> inconclusive = crossedInconclusiveLimit();
        if (inconclusive.isPresent() && !settings.dryRun()) {
            finish(VerdictStatus.INCONCLUSIVE, inconclusive.get());
        }
        else if (taken >= planned) {
            complete();
        }
    }

    private Optional<String> crossedFailureLimit() {
        if (judgement != null && judgement.decision() == Decision.TRIP) {
            return Optional.of(judgement.rule());
        }
        if (failures > settings.failureLimit()) {
            return Optional.of(plural(failures, "failure") + exceed(failures) + "failureLimit "
                    + settings.failureLimit());
        }
        Integer consecutive = settings.consecutiveFailureLimit();
        if (consecutive != null && consecutiveFailures > consecutive) {
            return Optional.of(consecutiveFailures + " failures in a row exceed consecutiveFailureLimit "
                    + consecutive);
        }
        AnalysisSettings.Window w = settings.window();
        long inWindow = window.stream().filter(Boolean::booleanValue).count();
        if (w != null && inWindow >= w.n()) {
            crossedWindow = "the last %d judged samples (window %d of %d)".formatted(window.size(), w.n(), w.m());
            return Optional.of("%d of the last %d samples failed (window %d of %d)".formatted(
                    inWindow, window.size(), w.n(), w.m()));
        }
        if (consecutiveErrors > settings.consecutiveErrorLimit() && settings.onError() == ErrorPolicy.FAIL) {
            return Optional.of(errorText());
        }
        return Optional.empty();
    }

    private Optional<String> crossedInconclusiveLimit() {
        if (consecutiveErrors > settings.consecutiveErrorLimit() && settings.onError() == ErrorPolicy.INCONCLUSIVE) {
            return Optional.of(errorText());
        }
        if (inconclusives > settings.inconclusiveLimit()) {
            return Optional.of(plural(inconclusives, "inconclusive sample") + exceed(inconclusives)
                    + "inconclusiveLimit "
                    + settings.inconclusiveLimit());
        }
        return Optional.empty();
    }

    private String errorText() {
        return consecutiveErrors + " provider errors in a row exceed consecutiveErrorLimit "
                + settings.consecutiveErrorLimit();
    }

    private void complete() {
        if (judge != null) {
            judgement = judge.end();
            if (judgement.decision() == Decision.TRIP && trip == null) { // the median rule trips at the end only
                trip = judgement.rule();
                tripSamples = measurements.size();
            }
        }
        if (settings.dryRun() && trip != null) {
            finish(VerdictStatus.FAILED, trip);
        }
        else if (counted < settings.minSamples()) {
            finish(VerdictStatus.INCONCLUSIVE, "only %d of %d required samples could be judged".formatted(
                    counted, settings.minSamples()));
        }
        else if (judgement != null) { // in a dry run, finish says what it would have been
            finish(switch (judgement.decision()) {
                case TRIP -> VerdictStatus.FAILED;
                case PASS -> VerdictStatus.PASSED;
                default -> VerdictStatus.INCONCLUSIVE;
            }, judgement.rule());
        }
        else {
            finish(VerdictStatus.PASSED, "%d judged, %s, %s".formatted(counted,
                    plural(failures, "failure"), plural(inconclusives, "inconclusive")));
        }
    }

    private void finish(final VerdictStatus status, final String reason) {
        String last = measurements.isEmpty() ? "" : "; last: " + measurements.get(measurements.size() - 1).describe();
        String line = "%s: %s after %s: %s%s".formatted(probe, status, plural(taken, "sample"), reason,
                last);
        boolean tripped = settings.dryRun() && trip != null && reason.equals(trip);
        int deciding = tripped ? tripSamples : measurements.size();
        String rule = settings.dryRun() ? "dry run, would be %s: %s".formatted(status, reason) : reason;
        VerdictExplanation explained = explain(settings.dryRun() ? VerdictStatus.PASSED : status, rule, deciding,
                tripped ? tripWindow : crossedWindow != null && status == VerdictStatus.FAILED ? crossedWindow : null);
        if (settings.dryRun()) {
            verdict = new Verdict(probe, VerdictStatus.PASSED, measurements, "dry run, would be " + line, true, explained);
        }
        else {
            verdict = new Verdict(probe, status, measurements, line, false, explained);
        }
    }

    /**
     * Builds the verdict's explanation from the deciding sample (the last of {@code deciding} samples) and the
     * baseline.
     */
    private VerdictExplanation explain(final VerdictStatus status, final String rule, final int deciding,
            final String ruleWindow) {
        Measurement decisive = deciding == 0 ? null : measurements.get(deciding - 1);
        Double observed = decisive != null && decisive.optionalValue().isPresent() && isMetric(decisive)
                ? decisive.value() : null;
        Double base = baseline.value().isPresent() ? baseline.median() : null;
        Double change = null;
        String changeText = null;
        if (observed != null && base != null) {
            change = base == 0 ? null : (observed - base) / Math.abs(base);
            changeText = VerdictExplanation.describeChange(metric, observed, base, baseline.samples(),
                    thresholds.describe().contains("pp"));
        }
        int decidingTaken = 0; // the readings up to the deciding entry, some of them folded
        for (int i = 0; i < deciding; i++) {
            decidingTaken += measurements.get(i).readingCount();
        }
        String window = ruleWindow != null ? ruleWindow
                : "%d of %d planned samples, every %s".formatted(decidingTaken, planned, settings.interval());
        String threshold = thresholds.describe();
        VerdictExplanation explained = new VerdictExplanation(probe, status, rule,
                metric.description().isEmpty() ? null : metric.description(),
                metric.unit(), threshold.isEmpty() ? null : threshold, base, base == null ? null : baseline.samples(),
                observed, change, changeText, window, taken, counted, failures,
                decisive == null || decisive.detail().isEmpty() ? null : decisive.detail(),
                decisive == null ? null : decisive.at(), null);
        return judgement == null ? explained : explained.withJudge(judgement.method(), judgement.sampleSize(),
                judgement.alpha(), judgement.beta());
    }

    /**
     * Tells whether a sample's value is what the metric measures: an HTTP probe that failed on its status or body
     * keeps its latency as the value, which is not the number at its {@code jsonPointer}.
     */
    private boolean isMetric(final Measurement m) {
        return m.outcome() != Outcome.FAILURE || THRESHOLD_TRIPPED.equals(m.detail()) || Metric.MS.equals(metric.unit());
    }

    private static String exceed(final long n) {
        return n == 1 ? " exceeds " : " exceed ";
    }

    private static String plural(final long n, final String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
