package io.jenkins.plugins.rollbackguard.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Finds rollback points by the Jenkins build that recorded them. The ledger has no index by build, so these queries
 * scan the newest {@link #SCAN_LIMIT} points of each environment: enough for the pages, bounded in cost.
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
        for (EnvironmentName environment : environments()) {
            Optional<RollbackPoint> found = newest(environment, SCAN_LIMIT).stream()
                    .filter(point -> isBuild(point.source(), job, build))
                    .findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * Finds the point that reverted a point.
     *
     * @param point
     *         the reverted point
     * @return the newest point whose {@code revertOf} names it, or empty
     */
    public Optional<RollbackPoint> revertOf(final RollbackPoint point) {
        return newest(point.environment(), SCAN_LIMIT).stream()
                .filter(candidate -> candidate.revertOf() == point.id())
                .findFirst();
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

    /**
     * Tells whether a point was recorded by a build of a job.
     *
     * @param point
     *         the point
     * @param job
     *         the job's full name
     * @return whether the point's source is a build of that job
     */
    public static boolean isOfJob(final RollbackPoint point, final String job) {
        return point.source().kind() == PointSource.Kind.JENKINS && job.equals(point.source().job());
    }

    private static boolean isBuild(final PointSource source, final String job, final int build) {
        return source.kind() == PointSource.Kind.JENKINS && source.build() == build && job.equals(source.job());
    }

    private List<RollbackPoint> newest(final EnvironmentName environment, final int limit) {
        int size = ledger().size(environment);
        if (size == 0) {
            return List.of();
        }
        return ledger().history(environment, 0, Math.min(limit, Math.min(size, SCAN_LIMIT)));
    }
}
