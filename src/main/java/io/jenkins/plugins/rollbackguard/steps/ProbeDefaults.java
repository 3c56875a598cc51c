package io.jenkins.plugins.rollbackguard.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import io.jenkins.plugins.rollbackguard.config.RollbackGuardConfiguration;

/**
 * The Jenkins global defaults an inline probe falls back on, between its own value and the engine's default:
 * inline value &gt; Jenkins global default &gt; engine default. Each is null where Jenkins sets none; where a default
 * stands is the engine's rule ({@code AnalysisSettingsBuilder.hostDefaults}).
 *
 * @param interval
 *         the default {@code analysis.interval}
 * @param duration
 *         the default {@code analysis.duration} (the global "watch")
 * @param failureLimit
 *         the default {@code analysis.failureLimit}
 * @param consecutiveErrorLimit
 *         the default {@code analysis.consecutiveErrorLimit}
 */
record ProbeDefaults(@CheckForNull String interval, @CheckForNull String duration, @CheckForNull Integer failureLimit,
                     @CheckForNull Integer consecutiveErrorLimit) {
    /** No Jenkins defaults: the engine's apply. */
    static final ProbeDefaults NONE = new ProbeDefaults(null, null, null, null);

    /**
     * Reads the global configuration.
     *
     * @param configuration
     *         the global configuration, or null (none: the engine's defaults)
     * @return its probe defaults
     */
    static ProbeDefaults of(@CheckForNull final RollbackGuardConfiguration configuration) {
        if (configuration == null) {
            return NONE;
        }
        return new ProbeDefaults(configuration.getInterval(), configuration.getWatch(),
                configuration.getFailureLimit(), configuration.getConsecutiveErrorLimit());
    }
}
