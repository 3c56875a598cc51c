package io.jenkins.plugins.rollbackguard.engine.health;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * What a Jenkins step persists of an {@link Analysis} across a controller restart: the baseline and
 * the classified measurements so far. The counters are not stored; {@link Analysis#restore} recomputes
 * them by replaying the measurements, so they can never disagree with them.
 *
 * @param probe
 *         the probe name
 * @param baseline
 *         the baseline used for relative thresholds
 * @param measurements
 *         the classified measurements so far
 */
public record AnalysisSnapshot(String probe, Baseline baseline, List<Measurement> measurements)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Copies the list. */
    public AnalysisSnapshot {
        measurements = List.copyOf(measurements);
    }
}
