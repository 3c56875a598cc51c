package io.jenkins.plugins.rollbackguard.steps;

import java.io.Serializable;

import org.kohsuke.stapler.DataBoundSetter;

import hudson.model.Describable;
import hudson.model.Descriptor;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettingsBuilder;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/**
 * A health probe configured inline in {@code withRollbackGuard(probes: [...])}. Each kind only translates its
 * fields into the engine's {@link ProbeSpec}; the engine validates them and decides. What every kind offers (its
 * name, the thresholds and the two sampling settings) is bound here; Jenkins binds inherited setters too.
 */
public abstract class GuardProbe implements Describable<GuardProbe>, Serializable {
    private static final long serialVersionUID = 1L; // first release

    private final String name;
    private String failIf = "";
    private String successIf = "";
    private String interval = "";
    private int count;

    /**
     * Creates the probe.
     *
     * @param name
     *         the probe name, unique in the policy
     */
    protected GuardProbe(final String name) {
        this.name = name == null ? "" : name.strip();
    }

    /** @return the engine's specification of this probe */
    public abstract ProbeSpec toSpec();

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

    /** @return the failure threshold for the engine, or null for none */
    protected String failIfOrNull() {
        return blankToNull(failIf);
    }

    /** @return the success threshold for the engine, or null for none */
    protected String successIfOrNull() {
        return blankToNull(successIf);
    }

    /** @return the sampling settings: the interval and count given, the engine's defaults for the others */
    protected AnalysisSettings analysis() {
        AnalysisSettingsBuilder builder = AnalysisSettings.builder();
        if (!interval.isBlank()) {
            builder.interval(interval);
        }
        if (count > 0) {
            builder.count(count);
        }
        return builder.build();
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

    /** The descriptor of every probe kind. */
    public abstract static class GuardProbeDescriptor extends Descriptor<GuardProbe> {
    }
}
