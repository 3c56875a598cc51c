package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one computation of the incident figures (time to detect, time to restore, incident duration) from the ledger's
 * events, defined in docs/ledger.md ("Incident figures"). It is fed each journal record as the ledger applies it, so
 * the figures need no scan of the history, and a snapshot keeps its list. Every report (the command line's summary,
 * {@code status}, {@code metrics}, the final JSON of {@code deploy} and {@code rollback}, webhooks, the Jenkins pages
 * and {@code /rollback-guard/api/json}) reads them from here through {@link Ledger#incidents} and
 * {@link Ledger#incident}. Not thread safe: the ledger calls it under its lock.
 */
final class Incidents {
    /** Point attribute with the watch's measurements (written by the guard as {@code GuardState.WATCH}). */
    static final String WATCH = "guard.watch";
    /** Point attribute naming what started a deploy; {@value #DRILL} for a drill. */
    static final String TRIGGER = "trigger";
    static final String DRILL = "drill";
    /** Incidents and drills, oldest first; at most the last one of the incidents is open. */
    private final List<Incident> all = new ArrayList<>();
    private final ObjectMapper json;

    Incidents(final ObjectMapper json) {
        this.json = json;
    }

    /** A point was recorded: an adopted point ends an open incident (a person says what runs now is good). */
    void onRecorded(final RollbackPoint point, final Instant at) {
        if (point.status() == PointStatus.ADOPTED) {
            close(point.id(), millis(at));
        }
    }

    /**
     * A point changed status.
     *
     * @param point
     *         the point after the change
     * @param to
     *         its new status
     * @param at
     *         when
     * @param newestId
     *         the newest point id of the environment
     */
    void onStatus(final RollbackPoint point, final PointStatus to, final Instant at, final long newestId) {
        boolean drill = isDrill(point);
        if (to == PointStatus.BAD && !drill && !point.isRevert() && open().isEmpty() && point.id() == newestId) {
            // a point marked bad after a newer one replaced it no longer runs: a failure, but no incident to restore
            Instant deployed = point.deployedAt() != null ? point.deployedAt() : point.createdAt();
            all.add(new Incident(point.id(), false, millis(deployed), millis(at), 0, null));
        }
        else if (to == PointStatus.GOOD) {
            Instant restored = firstPassing(point, millis(at));
            if (drill) {
                boolean forward = IncidentFigures.FORWARD.equals(point.attributes().get(IncidentFigures.DRILL_LEG));
                if (!forward && all.stream().noneMatch(i -> i.drill() && i.pointId() == point.id())) {
                    all.add(new Incident(point.id(), true, null, millis(point.createdAt()), point.id(), restored));
                }
            }
            else {
                close(point.id(), restored);
            }
        }
    }

    private void close(final long by, final Instant at) {
        for (int i = all.size() - 1; i >= 0; i--) {
            Incident incident = all.get(i);
            if (!incident.drill()) {
                if (incident.isOpen() && by > incident.pointId()) {
                    all.set(i, incident.restored(by, at.isBefore(incident.detectedAt()) ? incident.detectedAt() : at));
                }
                return;
            }
        }
    }

    /** @return the open incident, if any */
    Optional<Incident> open() {
        for (int i = all.size() - 1; i >= 0; i--) {
            if (!all.get(i).drill()) {
                return all.get(i).isOpen() ? Optional.of(all.get(i)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The moment the restoring point had passed a first sample of each of its probes: the latest of the probes' first
     * SUCCESS measurements. A point judged without measurements (marked good by a person) is restored when it became
     * GOOD.
     */
    private Instant firstPassing(final RollbackPoint point, final Instant good) {
        String text = point.attributes().get(WATCH);
        if (text == null || text.isBlank()) {
            return good;
        }
        Instant latest = null;
        try {
            for (Iterator<Map.Entry<String, JsonNode>> probes = json.readTree(text).fields(); probes.hasNext(); ) {
                for (JsonNode m : probes.next().getValue().path("measurements")) {
                    if ("SUCCESS".equals(m.path("outcome").asText())) {
                        Instant first = Instant.parse(m.path("at").asText());
                        latest = latest == null || first.isAfter(latest) ? first : latest;
                        break;
                    }
                }
            }
        }
        catch (IOException | RuntimeException e) {
            return good; // measurements this reader cannot read: the verdict's moment, later, never earlier
        }
        return latest == null || latest.isAfter(good) ? good : millis(latest);
    }

    private static boolean isDrill(final RollbackPoint point) {
        return DRILL.equals(point.attributes().get(TRIGGER));
    }

    private static Instant millis(final Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MILLIS); // what the journal keeps, so a replay agrees
    }

    /** @return incidents and drills, oldest first, for a snapshot */
    List<Incident> list() {
        return List.copyOf(all);
    }

    /** Takes the list a snapshot saved. */
    void restore(final List<Incident> saved) {
        all.clear();
        if (saved != null) {
            all.addAll(saved);
        }
    }

    /** @return the figures of the environment */
    IncidentFigures figures(final EnvironmentName environment) {
        return new IncidentFigures(environment, all.stream().filter(i -> !i.drill()).toList(),
                all.stream().filter(Incident::drill).toList());
    }

    /** @return the incident a point started or ended, or the drill it was */
    Optional<Incident> of(final long pointId) {
        for (int i = all.size() - 1; i >= 0; i--) {
            Incident incident = all.get(i);
            if (incident.pointId() == pointId || incident.restoredBy() == pointId && !incident.drill()) {
                return Optional.of(incident);
            }
        }
        return Optional.empty();
    }
}
