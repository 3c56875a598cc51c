package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.time.Duration;
import java.util.Optional;

/**
 * The DORA figures of one environment, from its ledger. Deploys are guarded deploys that are neither
 * adopted nor reverts; a failure is a deploy that became BAD; time to restore is the incidents' (see
 * {@link IncidentFigures}: from the trip to the restoring point's first passing samples), the one figure every report
 * gives.
 *
 * @param environment
 *         the environment
 * @param deploys
 *         how many deploys were recorded
 * @param failures
 *         how many of them became BAD
 * @param restores
 *         how many failures were restored
 * @param medianTimeToRestore
 *         the median time to restore, if any failure was restored
 * @param meanTimeToRestore
 *         the mean time to restore, if any failure was restored
 */
public record DoraFigures(EnvironmentName environment, long deploys, long failures, long restores,
                          Optional<Duration> medianTimeToRestore, Optional<Duration> meanTimeToRestore) {
    /** @return failures per deploy, 0 when nothing was deployed */
    public double changeFailureRate() {
        return deploys == 0 ? 0 : (double) failures / deploys;
    }
}
