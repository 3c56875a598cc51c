package io.jenkins.plugins.rollbackguard.cli;

import java.time.Duration;
import java.util.Optional;

import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;

/**
 * The incident figures as {@code status --json}, {@code metrics --json} and the final JSON of {@code deploy} and
 * {@code rollback} give them: the ledger's ({@code Ledger.incidents}, {@code Ledger.incident}), never computed here;
 * milliseconds beside the printed form, the one {@link IncidentFigures#human} gives.
 */
final class IncidentJson {
    private IncidentJson() {
    }

    /**
     * The median and p95 of one figure.
     *
     * @param count
     *         how many values
     * @param medianMs
     *         the median in milliseconds, or null without values
     * @param p95Ms
     *         the 95th percentile (nearest rank) in milliseconds, or null
     * @param median
     *         the median as printed
     * @param p95
     *         the 95th percentile as printed
     */
    record Stats(int count, Long medianMs, Long p95Ms, String median, String p95) {
        static Stats of(final IncidentFigures.Stats stats) {
            return new Stats(stats.count(), millis(stats.median()), millis(stats.p95()),
                    IncidentFigures.human(stats.median(), null), IncidentFigures.human(stats.p95(), null));
        }
    }

    /**
     * One environment's figures: the three figures over its restored incidents beside the goal, its drills apart.
     *
     * @param environment
     *         the environment
     * @param count
     *         how many incidents, the open one included
     * @param open
     *         the point of the open incident, or null
     * @param goalMs
     *         the goal for an incident's duration, in milliseconds
     * @param goal
     *         the goal as printed
     * @param overGoal
     *         how many restored incidents lasted longer than the goal
     * @param timeToDetect
     *         bad version deployed to trip
     * @param timeToRestore
     *         trip to the restoring point's first passing samples
     * @param duration
     *         the incident duration, their sum
     * @param drills
     *         how many drills
     * @param drillTimeToRestore
     *         the drills' time to restore, never mixed into the incidents'
     * @param last
     *         the newest incident (open or not), or null
     */
    record Summary(String environment, int count, Long open, long goalMs, String goal, long overGoal,
                   Stats timeToDetect, Stats timeToRestore, Stats duration, int drills, Stats drillTimeToRestore,
                   Incident.Report last) {
        static Summary of(final IncidentFigures figures) {
            return new Summary(figures.environment().value(), figures.incidents().size(),
                    figures.open().map(Incident::pointId).orElse(null), IncidentFigures.GOAL.toMillis(),
                    IncidentFigures.human(IncidentFigures.GOAL), figures.overGoal(), Stats.of(figures.timeToDetect()),
                    Stats.of(figures.timeToRestore()), Stats.of(figures.duration()), figures.drills().size(),
                    Stats.of(figures.drillTimeToRestore()), IncidentJson.last(figures).map(i -> i.report(figures.environment()))
                            .orElse(null));
        }
    }

    /** @return the newest incident of the figures, open or not */
    static Optional<Incident> last(final IncidentFigures figures) {
        return figures.incidents().isEmpty() ? Optional.empty()
                : Optional.of(figures.incidents().get(figures.incidents().size() - 1));
    }

    private static Long millis(final Optional<Duration> duration) {
        return duration.map(Duration::toMillis).orElse(null);
    }
}
