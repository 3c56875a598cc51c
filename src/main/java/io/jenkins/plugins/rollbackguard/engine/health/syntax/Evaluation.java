package io.jenkins.plugins.rollbackguard.engine.health.syntax;

/**
 * The three-valued result of a {@link Condition}: true, false, or unknown with a reason (for example
 * a relative condition without a baseline).
 *
 * @param known
 *         whether the condition could be decided
 * @param holds
 *         whether it holds; meaningless when unknown
 * @param reason
 *         why it is unknown; empty when known
 */
public record Evaluation(boolean known, boolean holds, String reason) {
    private static final Evaluation TRUE = new Evaluation(true, true, "");
    private static final Evaluation FALSE = new Evaluation(true, false, "");

    /**
     * Returns a known result.
     *
     * @param holds
     *         whether the condition holds
     * @return the result
     */
    public static Evaluation of(final boolean holds) {
        return holds ? TRUE : FALSE;
    }

    /**
     * Returns an unknown result.
     *
     * @param reason
     *         why the condition cannot be decided
     * @return the result
     */
    public static Evaluation unknown(final String reason) {
        return new Evaluation(false, false, reason);
    }

    /** @return whether the condition is known to hold */
    public boolean isTrue() {
        return known && holds;
    }

    /** @return whether the condition is known not to hold */
    public boolean isFalse() {
        return known && !holds;
    }

    Evaluation and(final Evaluation other) {
        if (isFalse() || other.isFalse()) {
            return FALSE;
        }
        return known ? other : this;
    }

    Evaluation or(final Evaluation other) {
        if (isTrue() || other.isTrue()) {
            return TRUE;
        }
        return known ? other : this;
    }
}
