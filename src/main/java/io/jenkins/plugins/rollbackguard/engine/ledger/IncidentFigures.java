package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The incident figures of one environment (docs/ledger.md, "Incident figures"): its incidents and, apart, its
 * drills, with the median and 95th percentile of each figure beside the goal. The one way every report prints a
 * figure is {@link #human(Duration)}.
 *
 * @param environment
 *         the environment
 * @param incidents
 *         its incidents, oldest first (the last may be open)
 * @param drills
 *         its drills, oldest first: rehearsed restores, never mixed into the incidents
 */
public record IncidentFigures(EnvironmentName environment, List<Incident> incidents, List<Incident> drills) {
    /** The goal for an incident's duration, from the bad deploy to the restored service. */
    public static final Duration GOAL = Duration.ofMinutes(15);
    /**
     * Point attribute of a drill's second leg, set to {@link #FORWARD}: the drill deploys the previous good point (its
     * time to restore is the drill's figure) and then the current one again, which restores nothing.
     */
    public static final String DRILL_LEG = "drill.leg";
    /** The value of {@link #DRILL_LEG} on the roll forward. */
    public static final String FORWARD = "forward";

    /** Copies the lists. */
    public IncidentFigures {
        incidents = List.copyOf(incidents);
        drills = List.copyOf(drills);
    }

    /** @return the time to detect over the incidents */
    public Stats timeToDetect() {
        return Stats.of(incidents, Incident::timeToDetect);
    }

    /** @return the time to restore over the restored incidents */
    public Stats timeToRestore() {
        return Stats.of(incidents, Incident::timeToRestore);
    }

    /** @return the incident duration over the restored incidents */
    public Stats duration() {
        return Stats.of(incidents, Incident::duration);
    }

    /** @return the drills' time to restore */
    public Stats drillTimeToRestore() {
        return Stats.of(drills, Incident::timeToRestore);
    }

    /** @return the incident not restored yet, if any */
    public Optional<Incident> open() {
        return incidents.stream().filter(Incident::isOpen).findFirst();
    }

    /** @return how many restored incidents lasted longer than the goal */
    public long overGoal() {
        return incidents.stream().filter(i -> i.duration().map(d -> d.compareTo(GOAL) > 0).orElse(false)).count();
    }

    /**
     * The median and 95th percentile of one figure.
     *
     * @param count
     *         how many values
     * @param median
     *         the median (the mean of the two middle values for an even count), empty without values
     * @param p95
     *         the 95th percentile by nearest rank (the smallest value at least 95% of the values do not exceed)
     */
    public record Stats(int count, Optional<Duration> median, Optional<Duration> p95) {
        static Stats of(final List<Incident> from, final Function<Incident, Optional<Duration>> figure) {
            List<Duration> values = new ArrayList<>();
            from.forEach(i -> figure.apply(i).ifPresent(values::add));
            if (values.isEmpty()) {
                return new Stats(0, Optional.empty(), Optional.empty());
            }
            Collections.sort(values);
            int n = values.size();
            Duration median = n % 2 == 1 ? values.get(n / 2) : values.get(n / 2 - 1).plus(values.get(n / 2)).dividedBy(2);
            Duration p95 = values.get((int) Math.ceil(0.95 * n) - 1);
            return new Stats(n, Optional.of(median), Optional.of(p95));
        }

        /** @return "median 6.7 s, p95 9.0 s" or "none" */
        public String describe() {
            return count == 0 ? "none" : "median %s, p95 %s".formatted(human(median.orElseThrow()), human(p95.orElseThrow()));
        }
    }

    /**
     * Prints a duration the one way every report does: milliseconds under a second, seconds with one decimal under
     * two minutes, then minutes and seconds, then hours and minutes.
     *
     * @param duration
     *         the duration
     * @return e.g. "840 ms", "6.7 s", "4 min 03 s", "2 h 05 min"
     */
    public static String human(final Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }

    /**
     * Prints an optional duration.
     *
     * @param duration
     *         the duration, or empty
     * @param none
     *         what to print without one
     * @return the text
     */
    public static String human(final Optional<Duration> duration, final String none) {
        return duration.map(IncidentFigures::human).orElse(none);
    }
}
