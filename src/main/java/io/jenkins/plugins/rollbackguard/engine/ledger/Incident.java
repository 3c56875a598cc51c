package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One incident of an environment, or one drill, as {@link Incidents} reads it from the ledger's events (see
 * docs/ledger.md, "Incident figures", for the definitions). Times are to the millisecond, as the journal keeps them.
 *
 * @param pointId
 *         the deploy that became BAD (for a drill: the drill's point)
 * @param drill
 *         whether it is a drill: a rehearsed restore, reported apart and never mixed into the incidents
 * @param deployedAt
 *         when the bad version was deployed: its watch began (deploy command finished); null for a drill
 * @param detectedAt
 *         when it became BAD (the guard's trip, or a person's mark); for a drill, when its point was recorded
 * @param restoredBy
 *         the point that restored the environment (a revert, a rollback, a fix, an adopted point), or 0 while open
 * @param restoredAt
 *         when the restoring point had passed a first sample of each of its probes, or null while open
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Incident(long pointId, boolean drill, Instant deployedAt, Instant detectedAt, long restoredBy,
                       Instant restoredAt) {
    /** @return whether the environment is not restored yet */
    @JsonIgnore
    public boolean isOpen() {
        return restoredAt == null;
    }

    /** @return bad version deployed to trip; empty for a drill */
    public Optional<Duration> timeToDetect() {
        return deployedAt == null || detectedAt == null ? Optional.empty() : Optional.of(nonNegative(deployedAt, detectedAt));
    }

    /** @return trip to the restoring point's first passing sample; empty while open */
    public Optional<Duration> timeToRestore() {
        return restoredAt == null ? Optional.empty() : Optional.of(nonNegative(detectedAt, restoredAt));
    }

    /** @return time to detect plus time to restore; empty while open or for a drill */
    public Optional<Duration> duration() {
        return timeToDetect().flatMap(detect -> timeToRestore().map(detect::plus));
    }

    /** @return "time to detect 3.1 s, time to restore 6.7 s, incident duration 9.8 s" (a drill: its time to restore) */
    public String describe() {
        String restore = IncidentFigures.human(timeToRestore(), "not restored yet");
        if (drill) {
            return "drill: time to restore " + restore;
        }
        return "time to detect %s, time to restore %s, incident duration %s".formatted(
                IncidentFigures.human(timeToDetect(), "-"), restore, IncidentFigures.human(duration(), "open"));
    }

    /**
     * The figures as every machine-readable report gives them: milliseconds, each with its printed form.
     *
     * @param environment
     *         the environment
     * @return the report
     */
    public Report report(final EnvironmentName environment) {
        return new Report(environment.value(), pointId, restoredBy == 0 ? null : restoredBy, drill, isOpen(),
                deployedAt, detectedAt, restoredAt, millis(timeToDetect()), millis(timeToRestore()), millis(duration()),
                IncidentFigures.human(timeToDetect(), null), IncidentFigures.human(timeToRestore(), null),
                IncidentFigures.human(duration(), null));
    }

    private static Long millis(final Optional<Duration> duration) {
        return duration.map(Duration::toMillis).orElse(null);
    }

    /**
     * One incident's figures for JSON (the command line's {@code --json}, webhooks, Jenkins' remote API).
     *
     * @param environment
     *         the environment
     * @param point
     *         the bad point (a drill's point)
     * @param restoredBy
     *         the restoring point, or null while open
     * @param drill
     *         whether it is a drill
     * @param open
     *         whether it is not restored yet
     * @param deployedAt
     *         when the bad version was deployed
     * @param detectedAt
     *         when it became BAD
     * @param restoredAt
     *         when the restoring point had passed a first sample of each probe
     * @param timeToDetectMs
     *         time to detect in milliseconds, or null
     * @param timeToRestoreMs
     *         time to restore in milliseconds, or null
     * @param durationMs
     *         incident duration in milliseconds, or null
     * @param timeToDetect
     *         time to detect as printed
     * @param timeToRestore
     *         time to restore as printed
     * @param duration
     *         incident duration as printed
     */
    public record Report(String environment, long point, Long restoredBy, boolean drill, boolean open, Instant deployedAt,
                         Instant detectedAt, Instant restoredAt, Long timeToDetectMs, Long timeToRestoreMs, Long durationMs,
                         String timeToDetect, String timeToRestore, String duration) {
    }

    Incident restored(final long by, final Instant at) {
        return new Incident(pointId, drill, deployedAt, detectedAt, by, at);
    }

    private static Duration nonNegative(final Instant from, final Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d; // clocks of two hosts sharing a ledger may disagree a little
    }
}
