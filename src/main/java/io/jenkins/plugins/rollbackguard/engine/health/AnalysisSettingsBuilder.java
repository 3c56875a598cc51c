package io.jenkins.plugins.rollbackguard.engine.health;

/**
 * Builds {@link AnalysisSettings} in code; unset values keep their defaults. Example:
 * {@code AnalysisSettings.builder().interval("1s").count(10).failureLimit(2).build()}.
 */
@SuppressWarnings("checkstyle:HiddenField") // setter-style builder methods mirror the field names on purpose
public final class AnalysisSettingsBuilder {
    private String interval;
    private Integer count;
    private String duration;
    private String initialDelay;
    private Integer failureLimit;
    private Integer consecutiveFailureLimit;
    private AnalysisSettings.Window window;
    private Integer consecutiveErrorLimit;
    private Integer inconclusiveLimit;
    private Integer minSamples;
    private ErrorPolicy onError;
    private ErrorPolicy onNoData;
    private Boolean dryRun;
    private Integer baselineSamples;
    private String judge;
    private String effect;
    private Double alpha;
    private Double beta;
    private Double allowedRate;
    private String events;
    private String trials;
    private Boolean counters;
    private String baselineWindow;

    AnalysisSettingsBuilder() {
        // use AnalysisSettings.builder()
    }

    /** @param interval duration text @return this */
    public AnalysisSettingsBuilder interval(final String interval) {
        this.interval = interval;
        return this;
    }

    /** @param count samples @return this */
    public AnalysisSettingsBuilder count(final int count) {
        this.count = count;
        return this;
    }

    /** @param duration duration text @return this */
    public AnalysisSettingsBuilder duration(final String duration) {
        this.duration = duration;
        return this;
    }

    /** @param initialDelay duration text @return this */
    public AnalysisSettingsBuilder initialDelay(final String initialDelay) {
        this.initialDelay = initialDelay;
        return this;
    }

    /** @param failureLimit failures tolerated @return this */
    public AnalysisSettingsBuilder failureLimit(final int failureLimit) {
        this.failureLimit = failureLimit;
        return this;
    }

    /** @param consecutiveFailureLimit consecutive failures tolerated @return this */
    public AnalysisSettingsBuilder consecutiveFailureLimit(final int consecutiveFailureLimit) {
        this.consecutiveFailureLimit = consecutiveFailureLimit;
        return this;
    }

    /** @param n failures that trip @param m window size @return this */
    public AnalysisSettingsBuilder window(final int n, final int m) {
        this.window = new AnalysisSettings.Window(n, m);
        return this;
    }

    /** @param window failures among the last samples, or null for none @return this */
    public AnalysisSettingsBuilder window(final AnalysisSettings.Window window) {
        this.window = window;
        return this;
    }

    /** @param consecutiveErrorLimit consecutive errors tolerated @return this */
    public AnalysisSettingsBuilder consecutiveErrorLimit(final int consecutiveErrorLimit) {
        this.consecutiveErrorLimit = consecutiveErrorLimit;
        return this;
    }

    /** @param inconclusiveLimit inconclusive samples tolerated @return this */
    public AnalysisSettingsBuilder inconclusiveLimit(final int inconclusiveLimit) {
        this.inconclusiveLimit = inconclusiveLimit;
        return this;
    }

    /** @param minSamples counted samples needed @return this */
    public AnalysisSettingsBuilder minSamples(final int minSamples) {
        this.minSamples = minSamples;
        return this;
    }

    /** @param onError policy @return this */
    public AnalysisSettingsBuilder onError(final ErrorPolicy onError) {
        this.onError = onError;
        return this;
    }

    /** @param onNoData policy @return this */
    public AnalysisSettingsBuilder onNoData(final ErrorPolicy onNoData) {
        this.onNoData = onNoData;
        return this;
    }

    /** @param dryRun whether to never trip @return this */
    public AnalysisSettingsBuilder dryRun(final boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    /** @param baselineSamples samples for the baseline median @return this */
    public AnalysisSettingsBuilder baselineSamples(final int baselineSamples) {
        this.baselineSamples = baselineSamples;
        return this;
    }

    /**
     * Sets judge.
     *
     * @param judge
     *         {@code threshold}, {@code sequential} or {@code mann-whitney}
     * @return this
     */
    public AnalysisSettingsBuilder judge(final String judge) {
        this.judge = judge;
        return this;
    }

    /**
     * Sets effect.
     *
     * @param effect
     *         e.g. {@code rise > 50%}
     * @return this
     */
    public AnalysisSettingsBuilder effect(final String effect) {
        this.effect = effect;
        return this;
    }

    /**
     * Sets alpha.
     *
     * @param alpha
     *         the deploy's false-trip probability
     * @return this
     */
    public AnalysisSettingsBuilder alpha(final Double alpha) {
        this.alpha = alpha;
        return this;
    }

    /**
     * Sets beta.
     *
     * @param beta
     *         the probability of missing the effect
     * @return this
     */
    public AnalysisSettingsBuilder beta(final Double beta) {
        this.beta = beta;
        return this;
    }

    /**
     * Sets allowedRate.
     *
     * @param allowedRate
     *         the healthy rate
     * @return this
     */
    public AnalysisSettingsBuilder allowedRate(final Double allowedRate) {
        this.allowedRate = allowedRate;
        return this;
    }

    /**
     * Sets events.
     *
     * @param events
     *         the events' query or JSON pointer
     * @return this
     */
    public AnalysisSettingsBuilder events(final String events) {
        this.events = events;
        return this;
    }

    /**
     * Sets trials.
     *
     * @param trials
     *         the trials' query or JSON pointer
     * @return this
     */
    public AnalysisSettingsBuilder trials(final String trials) {
        this.trials = trials;
        return this;
    }

    /**
     * Sets counters.
     *
     * @param counters
     *         whether events and trials are cumulative counters
     * @return this
     */
    public AnalysisSettingsBuilder counters(final Boolean counters) {
        this.counters = counters;
        return this;
    }

    /**
     * Sets the history window of a counting Prometheus probe's baseline.
     *
     * @param baselineWindow
     *         a duration such as 1h, or null to sample the baseline
     * @return this
     */
    public AnalysisSettingsBuilder baselineWindow(final String baselineWindow) {
        this.baselineWindow = baselineWindow;
        return this;
    }

    /**
     * Fills what is still unset with a host's defaults (the Jenkins global configuration), between the values given
     * and the engine's defaults: given value &gt; host default &gt; engine default. A host default stands only where the
     * engine would use its own default: the duration only without a count, the failure limit only without a window
     * or a consecutive failure limit (with those the engine's default is no limit, so a host's 0 would void them).
     *
     * @param interval
     *         the host's interval, or null for none
     * @param duration
     *         the host's watch duration, or null for none
     * @param failureLimit
     *         the host's failure limit, or null for none
     * @param consecutiveErrorLimit
     *         the host's consecutive error limit, or null for none
     * @return this
     */
    public AnalysisSettingsBuilder hostDefaults(final String interval, final String duration,
            final Integer failureLimit, final Integer consecutiveErrorLimit) {
        if (this.interval == null) {
            this.interval = interval;
        }
        if (this.duration == null && count == null) {
            this.duration = duration;
        }
        if (this.failureLimit == null && window == null && consecutiveFailureLimit == null) {
            this.failureLimit = failureLimit;
        }
        if (this.consecutiveErrorLimit == null) {
            this.consecutiveErrorLimit = consecutiveErrorLimit;
        }
        return this;
    }

    /**
     * Fills what is still unset with a host's defaults, as {@link #hostDefaults(String, String, Integer, Integer)}.
     *
     * @param defaults
     *         the host's defaults
     * @return this
     */
    public AnalysisSettingsBuilder hostDefaults(final AnalysisDefaults defaults) {
        return hostDefaults(defaults.interval(), defaults.duration(), defaults.failureLimit(),
                defaults.consecutiveErrorLimit());
    }

    /**
     * Takes the named settings from built settings: the ones a policy gave, read back from its record, so that what
     * it left unset stays unset here until {@link #hostDefaults} and {@link #build()} fill it.
     *
     * @param from
     *         the settings to copy from
     * @param fields
     *         the names of the settings to copy, as in a policy's {@code analysis:}
     * @return this
     * @throws IllegalArgumentException
     *         naming a field that is not an analysis setting
     */
    public AnalysisSettingsBuilder copy(final AnalysisSettings from, final java.util.Collection<String> fields) {
        for (String field : fields) {
            switch (field) {
                case "interval" -> interval = from.interval();
                case "count" -> count = from.count();
                case "duration" -> duration = from.duration();
                case "initialDelay" -> initialDelay = from.initialDelay();
                case "failureLimit" -> failureLimit = from.failureLimit();
                case "consecutiveFailureLimit" -> consecutiveFailureLimit = from.consecutiveFailureLimit();
                case "window" -> window = from.window();
                case "consecutiveErrorLimit" -> consecutiveErrorLimit = from.consecutiveErrorLimit();
                case "inconclusiveLimit" -> inconclusiveLimit = from.inconclusiveLimit();
                case "minSamples" -> minSamples = from.minSamples();
                case "onError" -> onError = from.onError();
                case "onNoData" -> onNoData = from.onNoData();
                case "dryRun" -> dryRun = from.dryRun();
                case "baselineSamples" -> baselineSamples = from.baselineSamples();
                case "judge" -> judge = from.judge();
                case "effect" -> effect = from.effect();
                case "alpha" -> alpha = from.alpha();
                case "beta" -> beta = from.beta();
                case "allowedRate" -> allowedRate = from.allowedRate();
                case "events" -> events = from.events();
                case "trials" -> trials = from.trials();
                case "counters" -> counters = from.counters();
                case "baselineWindow" -> baselineWindow = from.baselineWindow();
                default -> throw new IllegalArgumentException("analysis." + field + ": is not an analysis setting");
            }
        }
        return this;
    }

    /** @return the names of the settings given so far (not null), in the record's order */
    public java.util.Set<String> given() {
        Object[] values = {interval, count, duration, initialDelay, failureLimit, consecutiveFailureLimit, window,
            consecutiveErrorLimit, inconclusiveLimit, minSamples, onError, onNoData, dryRun, baselineSamples, judge, effect,
            alpha, beta, allowedRate, events, trials, counters, baselineWindow};
        java.lang.reflect.RecordComponent[] components = AnalysisSettings.class.getRecordComponents();
        java.util.Set<String> given = new java.util.LinkedHashSet<>();
        for (int i = 0; i < components.length; i++) {
            if (values[i] != null) {
                given.add(components[i].getName());
            }
        }
        return given;
    }

    /** @return the validated settings */
    public AnalysisSettings build() {
        return new AnalysisSettings(interval, count, duration, initialDelay, failureLimit, consecutiveFailureLimit,
                window, consecutiveErrorLimit, inconclusiveLimit, minSamples, onError, onNoData, dryRun,
                baselineSamples, judge, effect, alpha, beta, allowedRate, events, trials, counters, baselineWindow);
    }
}
