package io.jenkins.plugins.rollbackguard.engine.health;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What provider errors (beyond {@code consecutiveErrorLimit}) and no-data samples lead to. */
public enum ErrorPolicy {
    /** Make the probe inconclusive (no-data samples count toward {@code inconclusiveLimit}). */
    INCONCLUSIVE,
    /** Treat as a failure (no-data samples count toward the failure limits). */
    FAIL,
    /** Skip: record the sample but do not count it. */
    IGNORE;

    /**
     * Reads a policy the way a policy file writes it.
     *
     * @param text
     *         {@code inconclusive}, {@code fail} or {@code ignore}, any case
     * @return the policy
     * @throws IllegalArgumentException
     *         naming the bad value and the allowed ones
     */
    @JsonCreator
    public static ErrorPolicy parse(final String text) {
        for (ErrorPolicy policy : values()) {
            if (policy.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return policy;
            }
        }
        throw new IllegalArgumentException(
                "onError/onNoData: expected inconclusive, fail or ignore, got '" + text + "'");
    }

    /** @return the name as written in policy files */
    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
