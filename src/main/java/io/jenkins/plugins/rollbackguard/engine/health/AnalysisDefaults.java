package io.jenkins.plugins.rollbackguard.engine.health;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * A host's defaults for what a probe's analysis leaves unset: the Jenkins global configuration, or the CLI's
 * {@code $ROLLBACK_GUARD_HOME/defaults.yaml}. Precedence, the same in every host: the probe's value (inline or in the
 * policy file) &gt; the host's default &gt; the engine's default; where a host default stands is
 * {@link AnalysisSettingsBuilder#hostDefaults(String, String, Integer, Integer)}'s rule. Each value is null where the
 * host sets none. The values are checked by the engine's own record, so a host default is refused with the same
 * words as the same value in a policy.
 *
 * @param source
 *         where the defaults come from, as {@code validate --explain} names it: {@code defaults.yaml (/path)} or
 *         {@code Jenkins global configuration}
 * @param interval
 *         the default {@code analysis.interval}, or null
 * @param duration
 *         the default {@code analysis.duration} (Jenkins' global "watch"), or null
 * @param failureLimit
 *         the default {@code analysis.failureLimit}, or null
 * @param consecutiveErrorLimit
 *         the default {@code analysis.consecutiveErrorLimit}, or null
 */
public record AnalysisDefaults(String source, String interval, String duration, Integer failureLimit,
                               Integer consecutiveErrorLimit) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** The settings a host may default, under the names of a policy's {@code analysis:}. */
    public static final List<String> FIELDS = List.of("interval", "duration", "failureLimit", "consecutiveErrorLimit");

    /** The name of the engine's defaults, for {@code validate --explain}. */
    public static final String ENGINE = "engine default";

    /** No host defaults: the engine's apply. */
    public static final AnalysisDefaults NONE = new AnalysisDefaults(ENGINE, null, null, null, null);

    /** Checks every value with the engine's record; its messages name {@code analysis.<field>} and the value. */
    public AnalysisDefaults {
        source = source == null || source.isBlank() ? "host defaults" : source;
        AnalysisSettings.builder().hostDefaults(interval, duration, failureLimit, consecutiveErrorLimit).build();
    }

    /** @return the engine's own values of the settings a host may default (10s, 5m, 0, 4) */
    public static AnalysisDefaults engine() {
        AnalysisSettings defaults = AnalysisSettings.defaults();
        return new AnalysisDefaults(ENGINE, defaults.interval(), defaults.duration(), defaults.failureLimit(),
                defaults.consecutiveErrorLimit());
    }

    /** @return whether no value is set */
    public boolean isNone() {
        return interval == null && duration == null && failureLimit == null && consecutiveErrorLimit == null;
    }

    /**
     * Checks one default as a host's form or file gives it, with the engine's rule for that setting.
     *
     * @param field
     *         one of {@link #FIELDS}
     * @param shownAs
     *         the name the host shows the field under ({@code watch} for {@code duration} in Jenkins), for the message
     * @param value
     *         the value as entered: a duration, or a whole number for the limits
     * @return the problem in one sentence naming the field and the value, or empty when the value is fine
     */
    public static Optional<String> check(final String field, final String shownAs, final String value) {
        String text = value == null ? "" : value.strip();
        try {
            switch (field) {
                case "interval" -> new AnalysisDefaults(null, text, null, null, null);
                case "duration" -> new AnalysisDefaults(null, null, text, null, null);
                case "failureLimit" -> new AnalysisDefaults(null, null, null, wholeNumber(text), null);
                case "consecutiveErrorLimit" -> new AnalysisDefaults(null, null, null, null, wholeNumber(text));
                default -> throw new IllegalArgumentException("analysis." + field + ": is not a setting a host may "
                        + "default; give one of " + String.join(", ", FIELDS));
            }
            return Optional.empty();
        }
        catch (IllegalArgumentException e) {
            return Optional.of(shownAs + e.getMessage().substring(e.getMessage().indexOf(':')));
        }
    }

    private static Integer wholeNumber(final String text) {
        try {
            return Integer.valueOf(text);
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("x: '%s' is not a whole number; give 0 or more".formatted(text), e);
        }
    }
}
