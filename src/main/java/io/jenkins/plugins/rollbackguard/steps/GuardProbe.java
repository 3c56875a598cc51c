package io.jenkins.plugins.rollbackguard.steps;

import java.io.Serializable;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettingsBuilder;
import io.jenkins.plugins.rollbackguard.engine.health.ErrorPolicy;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/**
 * A health probe configured inline in {@code withRollbackGuard(probes: [...])}. Each kind only translates its
 * fields into the engine's {@link ProbeSpec}; the engine validates them and decides. What every kind offers (its
 * name, the thresholds and every analysis setting of the policy file's {@code analysis:} block, under the same
 * names) is bound here; Jenkins binds inherited setters too. An analysis setting left unset is null and the engine's
 * default applies; a bad value is refused by the engine's records with their message naming the field.
 */
public abstract class GuardProbe implements Describable<GuardProbe>, Serializable {
    private static final long serialVersionUID = 1L; // first release

    private final String name;
    private String failIf = "";
    private String successIf = "";
    private String interval = "";
    private int count;
    @CheckForNull
    private String timeout;
    @CheckForNull
    private String duration;
    @CheckForNull
    private String initialDelay;
    @CheckForNull
    private Integer failureLimit;
    @CheckForNull
    private Integer consecutiveFailureLimit;
    @CheckForNull
    private String window;
    @CheckForNull
    private Integer consecutiveErrorLimit;
    @CheckForNull
    private Integer inconclusiveLimit;
    @CheckForNull
    private Integer minSamples;
    @CheckForNull
    private String onError;
    @CheckForNull
    private String onNoData;
    @CheckForNull
    private Boolean dryRun;
    @CheckForNull
    private Integer baselineSamples;
    @CheckForNull
    private String judge;
    @CheckForNull
    private String effect;
    @CheckForNull
    private Double alpha;
    @CheckForNull
    private Double beta;
    @CheckForNull
    private Double allowedRate;
    @CheckForNull
    private String events;
    @CheckForNull
    private String trials;
    @CheckForNull
    private Boolean counters;
    private String baselineWindow;

    /**
     * Creates the probe.
     *
     * @param name
     *         the probe name, unique in the policy
     */
    protected GuardProbe(final String name) {
        this.name = name == null ? "" : name.strip();
    }

    /** @return the engine's specification of this probe, with the engine's defaults for what it leaves unset */
    public ProbeSpec toSpec() {
        return toSpec(ProbeDefaults.NONE);
    }

    /**
     * Builds the engine's specification of this probe.
     *
     * @param defaults
     *         the Jenkins global defaults for what the probe leaves unset
     * @return the specification
     */
    abstract ProbeSpec toSpec(ProbeDefaults defaults);

    public String getName() {
        return name;
    }

    public String getFailIf() {
        return failIf;
    }

    @DataBoundSetter
    public void setFailIf(final String failIf) {
        this.failIf = failIf == null ? "" : failIf.strip();
    }

    public String getSuccessIf() {
        return successIf;
    }

    @DataBoundSetter
    public void setSuccessIf(final String successIf) {
        this.successIf = successIf == null ? "" : successIf.strip();
    }

    public String getInterval() {
        return interval;
    }

    @DataBoundSetter
    public void setInterval(final String interval) {
        this.interval = interval == null ? "" : interval.strip();
    }

    public int getCount() {
        return count;
    }

    @DataBoundSetter
    public void setCount(final int count) {
        this.count = Math.max(0, count);
    }

    @CheckForNull
    public String getDuration() {
        return duration;
    }

    @DataBoundSetter
    public void setDuration(@CheckForNull final String duration) {
        this.duration = blankToNull(duration);
    }

    @CheckForNull
    public String getInitialDelay() {
        return initialDelay;
    }

    @DataBoundSetter
    public void setInitialDelay(@CheckForNull final String initialDelay) {
        this.initialDelay = blankToNull(initialDelay);
    }

    @CheckForNull
    public Integer getFailureLimit() {
        return failureLimit;
    }

    @DataBoundSetter
    public void setFailureLimit(@CheckForNull final Integer failureLimit) {
        this.failureLimit = failureLimit;
    }

    @CheckForNull
    public Integer getConsecutiveFailureLimit() {
        return consecutiveFailureLimit;
    }

    @DataBoundSetter
    public void setConsecutiveFailureLimit(@CheckForNull final Integer consecutiveFailureLimit) {
        this.consecutiveFailureLimit = consecutiveFailureLimit;
    }

    @CheckForNull
    public String getWindow() {
        return window;
    }

    @DataBoundSetter
    public void setWindow(@CheckForNull final String window) {
        this.window = blankToNull(window);
    }

    @CheckForNull
    public Integer getConsecutiveErrorLimit() {
        return consecutiveErrorLimit;
    }

    @DataBoundSetter
    public void setConsecutiveErrorLimit(@CheckForNull final Integer consecutiveErrorLimit) {
        this.consecutiveErrorLimit = consecutiveErrorLimit;
    }

    @CheckForNull
    public Integer getInconclusiveLimit() {
        return inconclusiveLimit;
    }

    @DataBoundSetter
    public void setInconclusiveLimit(@CheckForNull final Integer inconclusiveLimit) {
        this.inconclusiveLimit = inconclusiveLimit;
    }

    @CheckForNull
    public Integer getMinSamples() {
        return minSamples;
    }

    @DataBoundSetter
    public void setMinSamples(@CheckForNull final Integer minSamples) {
        this.minSamples = minSamples;
    }

    @CheckForNull
    public String getOnError() {
        return onError;
    }

    @DataBoundSetter
    public void setOnError(@CheckForNull final String onError) {
        this.onError = blankToNull(onError);
    }

    @CheckForNull
    public String getOnNoData() {
        return onNoData;
    }

    @DataBoundSetter
    public void setOnNoData(@CheckForNull final String onNoData) {
        this.onNoData = blankToNull(onNoData);
    }

    @CheckForNull
    public Boolean getDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(@CheckForNull final Boolean dryRun) {
        // unticked is absent (the engine's default, false): Stapler binds an unticked f:checkbox as false, and the
        // Snippet Generator (structs' DescribableModel.uninstantiate2) keeps every property that differs from a control
        // built from the constructor alone, whose boxes are null: a stored false printed dryRun: false in each snippet
        this.dryRun = Boolean.TRUE.equals(dryRun) ? Boolean.TRUE : null;
    }

    @CheckForNull
    public Integer getBaselineSamples() {
        return baselineSamples;
    }

    @DataBoundSetter
    public void setBaselineSamples(@CheckForNull final Integer baselineSamples) {
        this.baselineSamples = baselineSamples;
    }

    @CheckForNull
    public String getJudge() {
        return judge;
    }

    @DataBoundSetter
    public void setJudge(@CheckForNull final String judge) {
        this.judge = blankToNull(judge);
    }

    @CheckForNull
    public String getEffect() {
        return effect;
    }

    @DataBoundSetter
    public void setEffect(@CheckForNull final String effect) {
        this.effect = blankToNull(effect);
    }

    @CheckForNull
    public Double getAlpha() {
        return alpha;
    }

    @DataBoundSetter
    public void setAlpha(@CheckForNull final Double alpha) {
        this.alpha = alpha;
    }

    @CheckForNull
    public Double getBeta() {
        return beta;
    }

    @DataBoundSetter
    public void setBeta(@CheckForNull final Double beta) {
        this.beta = beta;
    }

    @CheckForNull
    public Double getAllowedRate() {
        return allowedRate;
    }

    @DataBoundSetter
    public void setAllowedRate(@CheckForNull final Double allowedRate) {
        this.allowedRate = allowedRate;
    }

    @CheckForNull
    public String getEvents() {
        return events;
    }

    @DataBoundSetter
    public void setEvents(@CheckForNull final String events) {
        this.events = blankToNull(events);
    }

    @CheckForNull
    public String getTrials() {
        return trials;
    }

    @DataBoundSetter
    public void setTrials(@CheckForNull final String trials) {
        this.trials = blankToNull(trials);
    }

    @CheckForNull
    public Boolean getCounters() {
        return counters;
    }

    @DataBoundSetter
    public void setCounters(@CheckForNull final Boolean counters) {
        this.counters = Boolean.TRUE.equals(counters) ? Boolean.TRUE : null; // unticked is absent, as dryRun
    }

    @CheckForNull
    public String getBaselineWindow() {
        return baselineWindow;
    }

    /** @param baselineWindow a Prometheus rate probe's history window for its baseline (docs/health.md) */
    @DataBoundSetter
    public void setBaselineWindow(@CheckForNull final String baselineWindow) {
        this.baselineWindow = blankToNull(baselineWindow);
    }

    @CheckForNull
    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(@CheckForNull final String timeout) {
        this.timeout = blankToNull(timeout);
    }

    /** @return the failure threshold for the engine, or null for none */
    protected String failIfOrNull() {
        return blankToNull(failIf);
    }

    /** @return the success threshold for the engine, or null for none */
    protected String successIfOrNull() {
        return blankToNull(successIf);
    }

    /**
     * Builds the analysis settings from the values given; unset takes the Jenkins global default, else the engine's
     * (the engine's {@code AnalysisSettingsBuilder.hostDefaults} decides where a global default stands). The engine's
     * record checks every value and names the field ({@code analysis.failureLimit: must be 0 or more, got -1}).
     *
     * @param defaults
     *         the Jenkins global defaults, for what the probe leaves unset
     * @return the sampling and judging settings
     */
    protected AnalysisSettings analysis(final ProbeDefaults defaults) {
        AnalysisSettingsBuilder builder = AnalysisSettings.builder().interval(blankToNull(interval)).duration(duration)
                .initialDelay(initialDelay).window(window == null ? null : AnalysisSettings.Window.parse(window))
                .onError(onError == null ? null : ErrorPolicy.parse(onError))
                .onNoData(onNoData == null ? null : ErrorPolicy.parse(onNoData));
        if (count > 0) {
            builder.count(count);
        }
        if (failureLimit != null) {
            builder.failureLimit(failureLimit);
        }
        if (consecutiveFailureLimit != null) {
            builder.consecutiveFailureLimit(consecutiveFailureLimit);
        }
        if (consecutiveErrorLimit != null) {
            builder.consecutiveErrorLimit(consecutiveErrorLimit);
        }
        if (inconclusiveLimit != null) {
            builder.inconclusiveLimit(inconclusiveLimit);
        }
        if (minSamples != null) {
            builder.minSamples(minSamples);
        }
        if (dryRun != null) {
            builder.dryRun(dryRun);
        }
        if (baselineSamples != null) {
            builder.baselineSamples(baselineSamples);
        }
        builder.judge(judge).effect(effect).alpha(alpha).beta(beta).allowedRate(allowedRate).events(events)
                .trials(trials).counters(counters).baselineWindow(baselineWindow); // the statistical judges (docs/health.md); unset is the engine's
        return builder.hostDefaults(defaults.interval(), defaults.duration(), defaults.failureLimit(),
                defaults.consecutiveErrorLimit()).build(); // the engine's record checks every value
    }

    /**
     * Turns a blank text into null, the engine's "absent".
     *
     * @param value
     *         the text
     * @return the trimmed text, or null when blank
     */
    static String blankToNull(final String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * The descriptor of every probe kind. Its checks catch what Stapler would drop without a word: the form binds a
     * {@code Double} through Stapler's {@code DoubleConverter(null)}, whose default makes any text it cannot read
     * (a decimal comma, a percent sign) null, the engine's default, so the Snippet Generator would leave the field out.
     */
    public abstract static class GuardProbeDescriptor extends Descriptor<GuardProbe> {
        private final io.jenkins.plugins.rollbackguard.util.JenkinsFacade jenkins =
                new io.jenkins.plugins.rollbackguard.util.JenkinsFacade();

        /**
         * Checks the alpha.
         *
         * @param item
         *         the job being configured, or null outside one
         * @param value
         *         the number as entered
         * @return the result, or ok without permission to configure the job
         */
        @POST
        public FormValidation doCheckAlpha(@AncestorInPath @CheckForNull final Item item,
                @QueryParameter final String value) {
            if (item == null || !jenkins.hasPermission(Item.CONFIGURE, item)) {
                return FormValidation.ok();
            }
            return checkNumber("alpha", value, "0.005");
        }

        /**
         * Checks the beta.
         *
         * @param item
         *         the job being configured, or null outside one
         * @param value
         *         the number as entered
         * @return the result, or ok without permission to configure the job
         */
        @POST
        public FormValidation doCheckBeta(@AncestorInPath @CheckForNull final Item item,
                @QueryParameter final String value) {
            if (item == null || !jenkins.hasPermission(Item.CONFIGURE, item)) {
                return FormValidation.ok();
            }
            return checkNumber("beta", value, "0.1");
        }

        /**
         * Checks the allowed rate.
         *
         * @param item
         *         the job being configured, or null outside one
         * @param value
         *         the number as entered
         * @return the result, or ok without permission to configure the job
         */
        @POST
        public FormValidation doCheckAllowedRate(@AncestorInPath @CheckForNull final Item item,
                @QueryParameter final String value) {
            if (item == null || !jenkins.hasPermission(Item.CONFIGURE, item)) {
                return FormValidation.ok();
            }
            return checkNumber("allowedRate", value, "0.01");
        }

        /**
         * Checks that a text reads as the number the form binds; its range is the engine's to check when the guard runs.
         *
         * @param field
         *         the field's name
         * @param value
         *         the text
         * @param example
         *         a number to show
         * @return ok, or one sentence naming the field, the value and the fix
         */
        static FormValidation checkNumber(final String field, @CheckForNull final String value, final String example) {
            if (value == null || value.isBlank()) {
                return FormValidation.ok();
            }
            try {
                Double.parseDouble(value.strip());
                return FormValidation.ok();
            }
            catch (NumberFormatException e) {
                return FormValidation.error("%s: '%s' is not a number, and the form would drop it for the default; "
                        .formatted(field, value.strip()) + "write a decimal with a point, such as " + example);
            }
        }
    }
}
