package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The in-memory picture of one environment, built by replaying its snapshot and journal. Not thread
 * safe: {@link EnvironmentJournal} only touches it under its lock.
 */
final class EnvironmentState {
    static final int RECENT_EVENTS = 500;

    private final EnvironmentName environment;
    /** Points by id: ids are dense from 1. */
    private final PointTable points;
    /** Ids of GOOD and ADOPTED points but failed revert targets; its last element is the last good point. */
    private final TreeSet<Long> restorable = new TreeSet<>();
    /** Ids of points still deploying or watching, for the check of dead watchers. */
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private final Deque<LedgerEvent> recent = new ArrayDeque<>();
    private RollbackPoint lastGood; // cached so that lastGood() is O(1)
    private Circuit circuit = Circuit.initial();
    private Lease lease = Lease.none();
    private long lastSeq;
    private final DoraCounters dora = new DoraCounters();
    private final Incidents incidents;

    EnvironmentState(final EnvironmentName environment, final LedgerCodec codec) {
        this.environment = environment;
        this.points = new PointTable(codec);
        this.incidents = new Incidents(codec.mapper());
    }

    EnvironmentName environment() {
        return environment;
    }

    long lastSeq() {
        return lastSeq;
    }

    int size() {
        return points.size();
    }

    Circuit circuit() {
        return circuit;
    }

    Lease lease() {
        return lease;
    }

    Optional<RollbackPoint> lastGood() {
        return Optional.ofNullable(lastGood);
    }

    Optional<RollbackPoint> point(final long id) {
        return id >= 1 && id <= points.size() ? Optional.ofNullable(points.get(id)) : Optional.empty();
    }

    RollbackPoint require(final long id) {
        return point(id).orElseThrow(() -> new UnknownPointException(environment, id, points.size()));
    }

    PointTable table() {
        return points;
    }

    Set<Long> restorableIds() {
        return Collections.unmodifiableSet(restorable);
    }

    Set<Long> inFlightIds() {
        return Collections.unmodifiableSet(inFlight);
    }

    /** Takes the indexes a snapshot saved, so that its points need not be parsed on open. */
    void restoreIndexes(final List<Long> restorableIds, final List<Long> inFlightIds) {
        restorable.addAll(restorableIds);
        inFlight.addAll(inFlightIds);
        lastGood = restorable.isEmpty() ? null : points.get(restorable.last());
    }

    List<LedgerEvent> recentEvents() {
        return List.copyOf(recent);
    }

    DoraCounters dora() {
        return dora;
    }

    Incidents incidents() {
        return incidents;
    }

    /**
     * Applies one journal record.
     *
     * @param record
     *         the record, already checked for format
     */
    void apply(final JournalRecord record) {
        switch (record.type()) {
            case POINT_RECORDED, POINT_UPDATED -> put(record.point());
            case STATUS_CHANGED -> {
                put(record.point());
                dora.onStatus(record.point(), record.to(), record.at());
                incidents.onStatus(record.point(), record.to(), record.at(), points.size());
            }
            case CIRCUIT_OPENED, CIRCUIT_RESET -> circuit = record.circuit();
            case LEASE_TAKEN, LEASE_RENEWED, LEASE_RELEASED, LEASE_BROKEN -> lease = record.lease();
            case DECISION -> {
                if (record.point() != null) {
                    put(record.point());
                    if (record.to() != null && record.to() != record.from()) {
                        dora.onStatus(record.point(), record.to(), record.at());
                        incidents.onStatus(record.point(), record.to(), record.at(), points.size());
                    }
                }
            }
            case NOTE -> { }
        }
        if (record.type() == LedgerEvent.Type.POINT_RECORDED) {
            dora.onRecorded(record.point());
            incidents.onRecorded(record.point(), record.at());
        }
        lastSeq = Math.max(lastSeq, record.seq());
        remember(record.event(environment));
    }

    void remember(final LedgerEvent event) {
        recent.addLast(event);
        while (recent.size() > RECENT_EVENTS) {
            recent.removeFirst();
        }
    }

    void restoreHeader(final long seq, final Circuit savedCircuit, final Lease savedLease) {
        lastSeq = seq;
        circuit = savedCircuit == null ? Circuit.initial() : savedCircuit;
        lease = savedLease == null ? Lease.none() : savedLease; // snapshots before format 3 have no lease
    }

    /** Puts a point read from a snapshot or journal in its place and keeps the indexes right. */
    void put(final RollbackPoint point) {
        points.put(point);
        if (point.isRestorable()) {
            restorable.add(point.id());
        }
        else {
            restorable.remove(point.id());
        }
        if (point.status().isInFlight()) {
            inFlight.add(point.id());
        }
        else {
            inFlight.remove(point.id());
        }
        lastGood = restorable.isEmpty() ? null : points.get(restorable.last());
    }

    /** Running DORA counters, so that figures need no scan of the history. */
    static final class DoraCounters {
        long deploys;
        long failures;
        List<Long> restoreMillis = new ArrayList<>();
        Instant failingSince;

        void onRecorded(final RollbackPoint point) {
            if (!point.isRevert() && point.status() != PointStatus.ADOPTED && !isDrill(point)) {
                deploys++;
            }
        }

        void onStatus(final RollbackPoint point, final PointStatus to, final Instant at) {
            if (isDrill(point)) {
                return; // rehearsals are not deploys
            }
            if (to == PointStatus.ABORTED && !point.isRevert() && "true".equals(point.attributes()
                    .get(RollbackPoint.NEVER_STARTED))) {
                deploys--; // counted when recorded; its deploy never started, so it was no deploy
            }
            if (to == PointStatus.BAD) {
                if (!point.isRevert()) {
                    failures++;
                }
                if (failingSince == null) {
                    failingSince = at;
                }
            }
            else if (to == PointStatus.GOOD && failingSince != null) {
                restoreMillis.add(Duration.between(failingSince, at).toMillis());
                failingSince = null;
            }
        }

        private static boolean isDrill(final RollbackPoint point) {
            return "drill".equals(point.attributes().get("trigger"));
        }

        /** The deploy counts are kept here; the restores are the incidents' (one computation of time to restore). */
        DoraFigures figures(final EnvironmentName environment, final IncidentFigures incidents) {
            List<Long> sorted = new ArrayList<>();
            incidents.incidents().forEach(i -> i.timeToRestore().ifPresent(d -> sorted.add(d.toMillis())));
            Collections.sort(sorted);
            Optional<Duration> median = incidents.timeToRestore().median();
            Optional<Duration> mean = Optional.empty();
            if (!sorted.isEmpty()) {
                mean = Optional.of(Duration.ofMillis(sorted.stream().mapToLong(Long::longValue).sum() / sorted.size()));
            }
            return new DoraFigures(environment, deploys, failures, sorted.size(), median, mean);
        }
    }
}
