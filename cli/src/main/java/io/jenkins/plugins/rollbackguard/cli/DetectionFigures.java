package io.jenkins.plugins.rollbackguard.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardOutcome;
import io.jenkins.plugins.rollbackguard.engine.guard.Policy;
import io.jenkins.plugins.rollbackguard.engine.guard.Timeline;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Verdict;
import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;

/**
 * The detection figures of a tripped deploy (issue #5's benchmark): how long after the measurement
 * that crossed the limit the revert's deploy command started, which failing measurement that was, and
 * how long after the first failing one.
 *
 * @param probe
 *         the probe that tripped
 * @param tripIndex
 *         the tripping measurement's position among the failing ones (1-based)
 * @param failureLimit
 *         the probe's failureLimit
 * @param firstFailure
 *         when the first failing measurement was taken
 * @param trip
 *         when the tripping measurement was taken
 * @param revertStart
 *         when the revert's deploy command started
 * @param interval
 *         the probe's interval
 * @param deployStart
 *         when the bad deploy started
 * @param restored
 *         when the revert was judged GOOD
 */
record DetectionFigures(String probe, int tripIndex, int failureLimit, Instant firstFailure, Instant trip,
                        Instant revertStart, Duration interval, Instant deployStart, Instant restored) {
    static Optional<DetectionFigures> of(final GuardOutcome outcome, final Policy policy) {
        if (outcome.watch() == null || outcome.watch().status() != VerdictStatus.FAILED) {
            return Optional.empty();
        }
        Verdict failed = outcome.watch().verdicts().stream().filter(v -> v.status() == VerdictStatus.FAILED)
                .findFirst().orElseThrow();
        ProbeSpec spec = policy.probes().stream().filter(p -> p.name().equals(failed.probe())).findFirst().orElseThrow();
        List<Measurement> failures = failed.measurements().stream().filter(m -> m.outcome() == Outcome.FAILURE).toList();
        if (failures.isEmpty()) {
            return Optional.empty();
        }
        List<Timeline.Entry> deploys = outcome.timeline().stream()
                .filter(e -> "deploy".equals(e.phase()) && e.message().startsWith("deploying")).toList();
        Instant restored = outcome.timeline().stream().filter(e -> "verdict".equals(e.phase()) && e.message().startsWith("GOOD"))
                .map(Timeline.Entry::at).reduce((a, b) -> b).orElse(null);
        if (deploys.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(new DetectionFigures(failed.probe(), failures.size(), spec.analysis().failureLimit(),
                failures.get(0).at(), failures.get(failures.size() - 1).at(), deploys.get(1).at(),
                spec.analysis().intervalDuration(), deploys.get(0).at(), restored));
    }

    /** @return the revert's start after the tripping measurement */
    Duration reaction() {
        return Duration.between(trip, revertStart);
    }

    /** @return the tripping measurement after the first failing one */
    Duration detection() {
        return Duration.between(firstFailure, trip);
    }

    /** @return the allowed detection: failureLimit intervals plus one second */
    Duration detectionBound() {
        return interval.multipliedBy(failureLimit).plusSeconds(1);
    }

    String describe() {
        return String.format(Locale.ROOT, """
                detection: probe '%s' tripped on failing measurement %d (failureLimit %d + 1) %.2fs after the first \
                failing one (bound: failureLimit x interval + 1s = %.2fs)
                reaction:  the revert's deploy command started %.3fs after the tripping measurement (goal <= 1s)
                restore:   %s after the bad deploy started, the shop was back on the last good version""",
                probe, tripIndex, failureLimit, detection().toMillis() / 1000.0, detectionBound().toMillis() / 1000.0,
                reaction().toMillis() / 1000.0,
                restored == null ? "not restored" : "%.1fs".formatted(Duration.between(deployStart, restored).toMillis() / 1000.0));
    }
}
