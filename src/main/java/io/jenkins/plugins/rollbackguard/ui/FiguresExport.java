package io.jenkins.plugins.rollbackguard.ui;

import java.time.Duration;
import java.util.Optional;

import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;

/**
 * An environment's incident figures as the environments page and {@code /rollback-guard/api/json} show them: the
 * median and p95 of time to detect, time to restore and incident duration beside the 15-minute goal, drills apart,
 * as the ledger computed them ({@code Ledger.incidents}); the same fields as {@code rollback-guard metrics --json}.
 */
@ExportedBean(defaultVisibility = 3)
public final class FiguresExport {
    private final IncidentFigures figures;

    FiguresExport(final IncidentFigures figures) {
        this.figures = figures;
    }

    /** @return how many incidents, the open one included */
    @Exported
    public int getCount() {
        return figures.incidents().size();
    }

    /** @return the point of the open incident, or 0 */
    @Exported
    public long getOpen() {
        return figures.open().map(i -> i.pointId()).orElse(0L);
    }

    /** @return the goal for an incident's duration in milliseconds */
    @Exported
    public long getGoalMs() {
        return IncidentFigures.GOAL.toMillis();
    }

    /** @return how many restored incidents lasted longer than the goal */
    @Exported
    public long getOverGoal() {
        return figures.overGoal();
    }

    /** @return bad version deployed to trip */
    @Exported
    public Stats getTimeToDetect() {
        return new Stats(figures.timeToDetect());
    }

    /** @return trip to the restoring point's first passing samples */
    @Exported
    public Stats getTimeToRestore() {
        return new Stats(figures.timeToRestore());
    }

    /** @return time to detect plus time to restore */
    @Exported
    public Stats getDuration() {
        return new Stats(figures.duration());
    }

    /** @return how many drills */
    @Exported
    public int getDrills() {
        return figures.drills().size();
    }

    /** @return the drills' time to restore, never mixed into the incidents' */
    @Exported
    public Stats getDrillTimeToRestore() {
        return new Stats(figures.drillTimeToRestore());
    }

    /** The median and p95 of one figure. */
    @ExportedBean(defaultVisibility = 4)
    public static final class Stats {
        private final IncidentFigures.Stats stats;

        Stats(final IncidentFigures.Stats stats) {
            this.stats = stats;
        }

        /** @return how many values */
        @Exported
        public int getCount() {
            return stats.count();
        }

        /** @return the median in milliseconds, or null without values */
        @Exported
        @CheckForNull
        public Long getMedianMs() {
            return millis(stats.median());
        }

        /** @return the 95th percentile (nearest rank) in milliseconds, or null */
        @Exported
        @CheckForNull
        public Long getP95Ms() {
            return millis(stats.p95());
        }

        /** @return the median as printed, or an empty string */
        @Exported
        public String getMedian() {
            return IncidentFigures.human(stats.median(), "");
        }

        /** @return the 95th percentile as printed, or an empty string */
        @Exported
        public String getP95() {
            return IncidentFigures.human(stats.p95(), "");
        }

        @CheckForNull
        private static Long millis(final Optional<Duration> duration) {
            return duration.map(Duration::toMillis).orElse(null);
        }
    }
}
