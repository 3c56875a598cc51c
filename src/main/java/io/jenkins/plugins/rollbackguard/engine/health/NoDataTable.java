package io.jenkins.plugins.rollbackguard.engine.health;

import java.util.Optional;

/**
 * The no-data decision table: what a sample, or a whole watch, without a judgeable value counts as. Every case is
 * inconclusive unless the policy says otherwise with the existing settings:
 * <table>
 *     <caption>no data</caption>
 *     <tr><th>case</th><th>sample counts as</th><th>setting that changes it</th></tr>
 *     <tr><td>provider error (query refused, unreadable answer)</td><td>error; after
 *     {@code consecutiveErrorLimit} in a row, {@code onError} (inconclusive)</td><td>{@code onError: fail}</td></tr>
 *     <tr><td>empty result</td><td>{@code onNoData} (inconclusive)</td><td>{@code onNoData: fail | ignore}</td></tr>
 *     <tr><td>NaN</td><td>{@code onNoData} (inconclusive)</td><td>{@code onNoData: fail | ignore}</td></tr>
 *     <tr><td>Infinity (e.g. a ratio over 0 requests)</td><td>{@code onNoData} (inconclusive)</td>
 *     <td>{@code onNoData: fail | ignore}</td></tr>
 *     <tr><td>zero baseline (a relative threshold or effect against 0)</td><td>{@code onNoData} (inconclusive); a
 *     rate judge takes the baseline's upper bound instead, never 0</td><td>{@code onNoData: fail | ignore}, or an
 *     absolute threshold, or {@code allowedRate}</td></tr>
 *     <tr><td>too few samples (fewer judged than {@code minSamples}, or a judge below its minimum sample)</td>
 *     <td>the verdict is inconclusive, never passed</td><td>{@code minSamples: 0}</td></tr>
 * </table>
 */
public final class NoDataTable {
    /** The cases of the table. */
    public enum Case {
        /** The provider could not answer. */
        PROVIDER_ERROR,
        /** The provider answered with no value. */
        EMPTY_RESULT,
        /** The value is NaN. */
        NAN,
        /** The value is infinite. */
        INFINITY,
        /** The baseline is 0, so a relative comparison has nothing to scale. */
        ZERO_BASELINE,
        /** Fewer judged samples than the minimum. */
        TOO_FEW_SAMPLES
    }

    private NoDataTable() {
    }

    /**
     * Tells what a sample of a case counts as.
     *
     * @param noData
     *         the case
     * @param settings
     *         the probe's analysis settings
     * @return the outcome the sample is counted with; empty when it is ignored ({@code onNoData: ignore}); for too
     *         few samples, the verdict's outcome ({@code INCONCLUSIVE}, or {@code SUCCESS} with {@code minSamples: 0})
     */
    public static Optional<Outcome> outcome(final Case noData, final AnalysisSettings settings) {
        return switch (noData) {
            case PROVIDER_ERROR -> Optional.of(Outcome.ERROR);
            case EMPTY_RESULT, NAN, INFINITY, ZERO_BASELINE -> byPolicy(settings.onNoData());
            case TOO_FEW_SAMPLES -> Optional.of(settings.minSamples() == 0 ? Outcome.SUCCESS : Outcome.INCONCLUSIVE);
        };
    }

    /**
     * Tells what a no-data sample counts as by {@code onNoData}.
     *
     * @param policy
     *         the setting
     * @return failure, inconclusive, or empty for ignored
     */
    public static Optional<Outcome> byPolicy(final ErrorPolicy policy) {
        return switch (policy) {
            case FAIL -> Optional.of(Outcome.FAILURE);
            case INCONCLUSIVE -> Optional.of(Outcome.INCONCLUSIVE);
            case IGNORE -> Optional.empty();
        };
    }

    /**
     * Finds the case of a value that cannot be judged.
     *
     * @param value
     *         the value
     * @return NaN or Infinity, else empty
     */
    public static Optional<Case> of(final double value) {
        if (Double.isNaN(value)) {
            return Optional.of(Case.NAN);
        }
        return Double.isInfinite(value) ? Optional.of(Case.INFINITY) : Optional.empty();
    }
}
