package io.jenkins.plugins.rollbackguard.engine.health.judge;

import java.util.Locale;

/** How a probe's samples are judged ({@code analysis.judge}). */
public enum JudgeKind {
    /** Each sample against {@code failIf}/{@code successIf}, counted by the limits (the default). */
    THRESHOLD("threshold"),
    /** A sequential probability ratio test of the rate {@code analysis.events / analysis.trials}. */
    SEQUENTIAL("sequential"),
    /** A one-sided Mann-Whitney U test of the values after the deploy against the baseline's. */
    MANN_WHITNEY("mann-whitney");

    private final String text;

    JudgeKind(final String text) {
        this.text = text;
    }

    /** @return the name in a policy file */
    public String text() {
        return text;
    }

    /** @return whether it is a statistical judge, which has an alpha */
    public boolean isStatistical() {
        return this != THRESHOLD;
    }

    /**
     * Reads a judge's name.
     *
     * @param value
     *         {@code threshold}, {@code sequential} or {@code mann-whitney}; null or blank for threshold
     * @return the kind
     * @throws IllegalArgumentException
     *         naming {@code analysis.judge}, the value and the accepted names
     */
    public static JudgeKind parse(final String value) {
        if (value == null || value.isBlank()) {
            return THRESHOLD;
        }
        String given = value.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (JudgeKind kind : values()) {
            if (kind.text.equals(given) || "mannwhitney".equals(given) && kind == MANN_WHITNEY) {
                return kind;
            }
        }
        throw new IllegalArgumentException("analysis.judge: expected threshold, sequential or mann-whitney, got '"
                + value + "'");
    }
}
