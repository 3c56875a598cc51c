package io.jenkins.plugins.rollbackguard.steps;

import java.io.Serializable;

import hudson.model.Describable;
import hudson.model.Descriptor;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettingsBuilder;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/**
 * A health probe configured inline in {@code withRollbackGuard(probes: [...])}. Each kind only translates its
 * fields into the engine's {@link ProbeSpec}; the engine validates them and decides.
 */
public abstract class GuardProbe implements Describable<GuardProbe>, Serializable {
    private static final long serialVersionUID = 1L; // first release

    /** @return the engine's specification of this probe */
    public abstract ProbeSpec toSpec();

    /**
     * Builds the sampling settings from the two fields every probe offers.
     *
     * @param interval
     *         time between samples, or blank for the default
     * @param count
     *         samples to take, or 0 for the default
     * @return the settings
     */
    static AnalysisSettings analysis(final String interval, final int count) {
        AnalysisSettingsBuilder builder = AnalysisSettings.builder();
        if (interval != null && !interval.isBlank()) {
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
