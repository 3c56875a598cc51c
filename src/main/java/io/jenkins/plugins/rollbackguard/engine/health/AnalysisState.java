package io.jenkins.plugins.rollbackguard.engine.health;

import java.util.Optional;

/**
 * Where an {@link Analysis} stands after a measurement.
 *
 * @param probe
 *         the probe name
 * @param samples
 *         samples recorded, including errors and ignored ones
 * @param plannedSamples
 *         samples the analysis takes at most
 * @param failures
 *         failures counted
 * @param errors
 *         provider errors in a row
 * @param inconclusives
 *         inconclusive samples counted
 * @param last
 *         the last classified measurement
 * @param finalVerdict
 *         the verdict once final, else null (use {@link #verdict()})
 */
public record AnalysisState(String probe, int samples, int plannedSamples, int failures, int errors,
                            int inconclusives, Measurement last, Verdict finalVerdict) {
    /** @return the verdict, if the analysis is over */
    public Optional<Verdict> verdict() {
        return Optional.ofNullable(finalVerdict);
    }

    /** @return whether the analysis is over */
    public boolean isFinal() {
        return finalVerdict != null;
    }
}
