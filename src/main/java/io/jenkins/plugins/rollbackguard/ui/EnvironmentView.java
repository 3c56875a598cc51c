package io.jenkins.plugins.rollbackguard.ui;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardCounts;

import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.DoraFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * What the job page and the overview show of one environment: its circuit, its lease (who deploys it now), its last
 * good point, its DORA figures, the points and recent events the current user may see. Jenkins-free: the caller
 * filters by permission first (a lease owner the user may not see is passed already hidden). Exported to
 * {@code /rollback-guard/api/json} with the incident figures (the ledger's, {@link #withFigures}); points, events and
 * the lease are not exported.
 */
@ExportedBean(defaultVisibility = 2)
public class EnvironmentView {
    private final String name;
    private final Circuit circuit;
    @CheckForNull
    private final RollbackPoint lastGood;
    @CheckForNull
    private final DoraFigures dora;
    private final List<RollbackPoint> points;
    private final List<LedgerEvent> events;
    @CheckForNull
    private final Lease lease;
    private final String leaseOwner;
    @CheckForNull
    private IncidentFigures figures;
    @CheckForNull
    private Supplier<GuardCounts> counts;
    @CheckForNull
    private GuardCounts counted;

    /**
     * Prepares the view of an environment.
     *
     * @param name
     *         the environment's name
     * @param circuit
     *         its circuit
     * @param lastGood
     *         its last good point if the user may see it, else null
     * @param dora
     *         its DORA figures, or null where they are not shown
     * @param points
     *         the points to list, newest first, already filtered
     * @param events
     *         the recent events to list, oldest first, already filtered
     */
    public EnvironmentView(final String name, final Circuit circuit, @CheckForNull final RollbackPoint lastGood,
            @CheckForNull final DoraFigures dora, final List<RollbackPoint> points, final List<LedgerEvent> events) {
        this(name, circuit, null, null, lastGood, dora, points, events);
    }

    /**
     * Prepares the view of an environment with its lease.
     *
     * @param name
     *         the environment's name
     * @param circuit
     *         its circuit
     * @param lease
     *         its lease if someone holds it, else null
     * @param leaseOwner
     *         the holder as the current user may see it (another job's build may be hidden), or null for the
     *         recorded owner
     * @param lastGood
     *         its last good point if the user may see it, else null
     * @param dora
     *         its DORA figures, or null where they are not shown
     * @param points
     *         the points to list, newest first, already filtered
     * @param events
     *         the recent events to list, oldest first, already filtered
     */
    public EnvironmentView(final String name, final Circuit circuit, @CheckForNull final Lease lease,
            @CheckForNull final String leaseOwner, @CheckForNull final RollbackPoint lastGood,
            @CheckForNull final DoraFigures dora, final List<RollbackPoint> points, final List<LedgerEvent> events) {
        this.name = name;
        this.lease = lease == null || !lease.isHeld() ? null : lease;
        this.leaseOwner = this.lease == null ? "" : leaseOwner == null ? this.lease.owner() : leaseOwner;
        this.circuit = circuit;
        this.lastGood = lastGood;
        this.dora = dora;
        this.points = List.copyOf(points);
        this.events = List.copyOf(events);
    }

    /**
     * Adds the environment's incident figures and its counts of trips and reverts.
     *
     * @param incidents
     *         its incident figures, as the ledger computed them
     * @param trips
     *         counts its trips and reverts; called only when they are asked for (it reads every point)
     * @return this view
     */
    public EnvironmentView withFigures(final IncidentFigures incidents, final Supplier<GuardCounts> trips) {
        this.figures = incidents;
        this.counts = trips;
        return this;
    }

    /** @return the environment's name */
    @Exported
    public String getName() {
        return name;
    }

    /** @return whether the environment is frozen */
    @Exported
    public boolean isFrozen() {
        return circuit.isOpen();
    }

    /** @return {@code OPEN} or {@code CLOSED} */
    @Exported
    public String getCircuitState() {
        return circuit.state().name();
    }

    /** @return why the circuit was last opened or reset, or an empty string */
    @Exported
    public String getCircuitReason() {
        return circuit.reason() == null ? "" : circuit.reason();
    }

    /** @return who last opened or reset the circuit, or an empty string */
    public String getCircuitBy() {
        return circuit.by() == null ? "" : circuit.by();
    }

    /** @return since when the circuit is in its state, ISO-8601, or an empty string */
    @Exported
    public String getCircuitSince() {
        Instant since = circuit.since();
        return since == null ? "" : since.toString();
    }

    /** @return whether someone holds the environment's lease: a guarded deploy or rollback runs */
    public boolean isLeaseHeld() {
        return lease != null;
    }

    /** @return who holds the lease ({@code jenkins:<job#build>} or {@code cli:<host>:<pid>:<start>}), or empty */
    public String getLeaseOwner() {
        return leaseOwner;
    }

    /** @return since when the holder has the lease, ISO-8601, or an empty string */
    public String getLeaseSince() {
        return lease == null || lease.since() == null ? "" : lease.since().toString();
    }

    /** @return the lease's epoch (how many times it was taken), or 0 when free */
    public long getLeaseEpoch() {
        return lease == null ? 0 : lease.epoch();
    }

    /** @return the last good point's label, e.g. {@code production#12 (shop #40)}, or an empty string */
    @Exported
    public String getLastGood() {
        return lastGood == null ? "" : lastGood.label();
    }

    /** @return the change-failure rate in percent with one decimal, or an empty string */
    @Exported
    public String getChangeFailureRate() {
        return dora == null ? "" : String.format(Locale.ROOT, "%.1f %%", dora.changeFailureRate() * 100);
    }

    /** @return how many deploys the figures count, or 0 */
    @Exported
    public long getDeploys() {
        return dora == null ? 0 : dora.deploys();
    }

    /** @return the median time to restore, or an empty string if no failure was restored */
    @Exported
    public String getTimeToRestore() {
        return dora == null ? "" : IncidentFigures.human(dora.medianTimeToRestore(), ""); // the one formatter
    }

    /** @return the open incident, else the last one, with its three figures; null without one or figures */
    @Exported
    @CheckForNull
    public IncidentExport getIncident() {
        if (figures == null) {
            return null;
        }
        List<Incident> all = figures.incidents();
        Incident shown = figures.open().orElse(all.isEmpty() ? null : all.get(all.size() - 1));
        return shown == null ? null : new IncidentExport(shown.report(EnvironmentName.of(name)));
    }

    /** @return the median and p95 of the three figures beside the goal, drills apart; null without figures */
    @Exported
    @CheckForNull
    public FiguresExport getIncidents() {
        return figures == null ? null : new FiguresExport(figures);
    }

    /** @return how many points the guard judged BAD, drills apart; 0 without figures */
    @Exported
    public long getTrips() {
        GuardCounts c = counts();
        return c == null ? 0 : c.trips();
    }

    /** @return how many reverts were started, drills apart; 0 without figures */
    @Exported
    public long getReverts() {
        GuardCounts c = counts();
        return c == null ? 0 : c.reverts();
    }

    /** @return how many reverts failed their watch; 0 without figures */
    @Exported
    public long getFailedReverts() {
        GuardCounts c = counts();
        return c == null ? 0 : c.failedReverts();
    }

    @CheckForNull
    private GuardCounts counts() {
        if (counted == null && counts != null) {
            counted = counts.get();
        }
        return counted;
    }

    /** @return the points to list */
    public List<PointRow> getPoints() {
        return points.stream().map(PointRow::new).toList();
    }

    /** @return the recent events, one line each */
    public List<String> getEvents() {
        return events.stream().map(LedgerEvent::describe).toList();
    }

    /** One point in a list. */
    public static final class PointRow {
        private final RollbackPoint point;

        PointRow(final RollbackPoint point) {
            this.point = point;
        }

        /** @return the point's id */
        public long getId() {
            return point.id();
        }

        /** @return the build that deployed it, e.g. {@code shop #12} */
        public String getSource() {
            return point.source().label();
        }

        /** @return the build number, or 0 for a command-line point */
        public int getBuild() {
            return point.source().build();
        }

        /** @return the status */
        public String getStatus() {
            return point.status().name();
        }

        /** @return the CSS class of the status badge */
        public String getBadge() {
            return PointView.badge(point.status());
        }

        /** @return the verdict's explanation, or an empty string */
        public String getVerdict() {
            return point.verdict() == null ? "" : point.verdict();
        }

        /**
         * Tells whether a person may mark this point good or bad: the guard could not decide it (INCONCLUSIVE,
         * INTERRUPTED), or a revert to it failed.
         *
         * @return whether the page offers the mark form
         */
        public boolean isMarkable() {
            return point.status() == PointStatus.INCONCLUSIVE || point.status() == PointStatus.INTERRUPTED
                    || isRevertFailed();
        }

        /** @return whether a revert to this point failed: it is no rollback target until marked good */
        public boolean isRevertFailed() {
            return point.status().isRestorable() && point.attributes().containsKey(RollbackPoint.REVERT_FAILED);
        }

        /** @return whether a rollback may return to it (its data version is checked when asked) */
        public boolean isRestorable() {
            return point.isRestorable();
        }

        /** @return the data version its deploy expects, or an empty string */
        public String getDataVersion() {
            return point.dataVersion() == null ? "" : point.dataVersion();
        }

        /** @return when it was recorded, ISO-8601 */
        public String getCreatedAt() {
            return point.createdAt() == null ? "" : point.createdAt().toString();
        }
    }
}
