package io.jenkins.plugins.rollbackguard.engine.health;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * The final judgement of one probe.
 *
 * @param probe
 *         the probe name
 * @param status
 *         PASSED, FAILED or INCONCLUSIVE; always PASSED for a dry run
 * @param measurements
 *         every sample, classified
 * @param explanation
 *         one human line, e.g. {@code checkout: FAILED after 3 samples: 1 failure exceeds failureLimit 0}
 * @param dryRun
 *         whether this was a dry run (then {@code explanation} says what the status would have been)
 * @param explained
 *         the explanation as data (rule, baseline, observed value, change, threshold, samples), or null for a verdict
 *         persisted before it existed
 */
public record Verdict(String probe, VerdictStatus status, List<Measurement> measurements, String explanation,
                      boolean dryRun, VerdictExplanation explained) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Copies the measurements. */
    public Verdict {
        measurements = List.copyOf(measurements);
    }

    /** @return the readings the verdict was taken on, folded ones counted each ({@link Measurement#readingCount}) */
    public int samples() {
        return measurements.stream().mapToInt(Measurement::readingCount).sum();
    }
}
