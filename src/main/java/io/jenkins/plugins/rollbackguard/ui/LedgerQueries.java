package io.jenkins.plugins.rollbackguard.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

import io.jenkins.plugins.rollbackguard.engine.ledger.BuildIndex;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Finds rollback points by the Jenkins build that recorded them, through the ledger's in-memory {@link BuildIndex}:
 * asking which build recorded a point, or which environments a job deployed to, touches no file (pages and
 * transient action factories ask on every request). Reading the points themselves goes to the ledger.
 */
public class LedgerQueries {
    /** How many of the newest points of an environment the queries look at. */
    static final int SCAN_LIMIT = 1000;

    private final LedgerFacade ledgers;

    /** Creates the queries for the ledger of the running Jenkins. */
    public LedgerQueries() {
        this(new LedgerFacade());
    }

    /**
     * Creates the queries for a ledger.
     *
     * @param ledgers
     *         opens the ledger
     */
    public LedgerQueries(final LedgerFacade ledgers) {
        this.ledgers = ledgers;
    }

    /** @return the ledger */
    public Ledger ledger() {
        return ledgers.getLedger();
    }

    /** @return the environments of the ledger, sorted by name */
    public List<EnvironmentName> environments() {
        return ledger().environments();
    }

    /** @return the index of the ledger's points by build */
    public BuildIndex index() {
        return ledgers.getIndex();
    }

    /**
     * Names the point a build recorded, from the index alone.
     *
     * @param job
     *         the job's full name
     * @param build
     *         the build number
     * @return the point's environment and id, or empty if the build recorded none
     */
    public Optional<BuildIndex.PointRef> pointRefOf(final String job, final int build) {
        return index().pointOf(job, build);
    }

    /**
     * Finds the point a build recorded.
     *
     * @param job
     *         the job's full name
     * @param build
     *         the build number
     * @return the point, or empty if the build recorded none
     */
    public Optional<RollbackPoint> pointOf(final String job, final int build) {
        return pointRefOf(job, build).flatMap(ref -> point(ref.environment(), ref.id()));
    }

    /**
     * Finds the point that reverted a point.
     *
     * @param point
     *         the reverted point
     * @return the newest point whose {@code revertOf} names it, or empty
     */
    public Optional<RollbackPoint> revertOf(final RollbackPoint point) {
        OptionalLong revert = index().revertOf(point.environment(), point.id());
        return revert.isPresent() ? point(point.environment(), revert.getAsLong()) : Optional.empty();
    }

    /**
     * Lists the environments a job deployed to, from the index alone.
     *
     * @param job
     *         the job's full name
     * @return the environments, sorted
     */
    public Set<EnvironmentName> environmentsOf(final String job) {
        return index().environmentsOf(job);
    }

    /**
     * Returns the newest points a job recorded in an environment.
     *
     * @param job
     *         the job's full name
     * @param environment
     *         the environment
     * @param limit
     *         how many at most
     * @return the points, newest first
     */
    public List<RollbackPoint> newestOfJob(final String job, final EnvironmentName environment, final int limit) {
        List<Long> ids = index().newestOf(job, environment, limit);
        return ids.isEmpty() ? List.of() : ledger().points(environment, ids);
    }

    /**
     * Finds a point by id.
     *
     * @param environment
     *         the environment
     * @param id
     *         the point's id
     * @return the point, or empty if there is none with that id
     */
    public Optional<RollbackPoint> point(final EnvironmentName environment, final long id) {
        if (id <= 0 || id > ledger().size(environment)) {
            return Optional.empty();
        }
        return Optional.of(ledger().point(environment, id));
    }

    /**
     * Returns the newest point of an environment: what runs there now, or is being deployed.
     *
     * @param environment
     *         the environment
     * @return the newest point, or empty for an environment without points
     */
    public Optional<RollbackPoint> current(final EnvironmentName environment) {
        return newest(environment, 1).stream().findFirst();
    }

    /**
     * Returns the newest points of an environment that match a filter.
     *
     * @param environment
     *         the environment
     * @param filter
     *         which points to keep
     * @param limit
     *         how many to return at most
     * @return the points, newest first
     */
    public List<RollbackPoint> newest(final EnvironmentName environment, final Predicate<RollbackPoint> filter,
            final int limit) {
        List<RollbackPoint> result = new ArrayList<>();
        for (RollbackPoint point : newest(environment, SCAN_LIMIT)) {
            if (result.size() >= limit) {
                break;
            }
            if (filter.test(point)) {
                result.add(point);
            }
        }
        return result;
    }

    private List<RollbackPoint> newest(final EnvironmentName environment, final int limit) {
        int size = ledger().size(environment);
        if (size == 0) {
            return List.of();
        }
        return ledger().history(environment, 0, Math.min(limit, Math.min(size, SCAN_LIMIT)));
    }
}
