package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * Which builds a host keeps from its build discarder after a verdict (the good ones, and every tripped one as long as
 * its point: see {@link #tripped}), and which of the builds it kept earlier may
 * have to be released: only those, so that a verdict touches a handful of builds rather than a job's whole history.
 *
 * <p>The builds of the newest {@code keepGood} restorable points are kept, and those the guard tripped on (never
 * released, so a tripped build stays kept even once its point is older than any window). A build kept earlier leaves that set only
 * when a newer restorable point pushes it out (one per GOOD verdict) or when its point stops being restorable; in
 * both cases its point is newer than the {@code 2 × keepGood}-th restorable point, so the release candidates are
 * the points up to that one that are not kept. A host releases a candidate only if it kept that build itself.</p>
 *
 * @param keep
 *         the builds to keep, newest first
 * @param releaseCandidates
 *         the builds that may have been kept earlier and are not kept now, newest first
 */
public record KeptBuilds(List<PointSource> keep, List<PointSource> releaseCandidates) {
    /** How far back, in multiples of {@code keepGood} restorable points, earlier keeps are looked for. */
    static final int LOOK_BACK = 2;

    /** Copies the lists. */
    public KeptBuilds {
        keep = List.copyOf(keep);
        releaseCandidates = List.copyOf(releaseCandidates);
    }

    /**
     * Plans the keeps after a verdict.
     *
     * @param newestFirst
     *         the environment's points, newest first (at least up to the {@code 2 × keepGood}-th restorable one)
     * @param keepGood
     *         how many good points' builds to keep
     * @return the builds to keep and the builds to release if this host kept them
     */
    public static KeptBuilds plan(final List<RollbackPoint> newestFirst, final int keepGood) {
        return plan(newestFirst, keepGood, false);
    }

    /**
     * Plans the keeps after a verdict, or reconciles: with {@code full}, every build of the given points that is not
     * kept is a release candidate. A host reconciles once per process (or session) and environment, which heals
     * what the incremental rule cannot see: verdicts it did not hear (another host, a restart between the verdict
     * and the keep), points added without a verdict (adopted), a lowered {@code keepGood}.
     *
     * @param newestFirst
     *         the environment's points, newest first
     * @param keepGood
     *         how many good points' builds to keep
     * @param full
     *         whether to release every build of the given points that is not kept
     * @return the builds to keep and the builds to release if this host kept them
     */
    public static KeptBuilds plan(final List<RollbackPoint> newestFirst, final int keepGood, final boolean full) {
        Set<PointSource> keep = new LinkedHashSet<>();
        Set<PointSource> candidates = new LinkedHashSet<>();
        int restorable = 0;
        for (RollbackPoint point : newestFirst) {
            if (point.status().isRestorable()) {
                restorable++;
            }
            if (point.source().kind() == PointSource.Kind.JENKINS) {
                // a tripped build is the evidence of its incident: kept as long as its point
                if (point.status().isRestorable() && restorable <= keepGood || tripped(point)) {
                    keep.add(point.source());
                }
                else {
                    candidates.add(point.source());
                }
            }
            if (!full && restorable >= LOOK_BACK * keepGood) {
                break;
            }
        }
        candidates.removeAll(keep); // a build that recorded two points, one kept
        return new KeptBuilds(new ArrayList<>(keep), new ArrayList<>(candidates));
    }

    /**
     * Tells whether the guard tripped on a point (judged it BAD), whatever became of it since (REVERTED).
     *
     * @param point
     *         the point
     * @return whether its build is kept as long as the point
     */
    public static boolean tripped(final RollbackPoint point) {
        return point.attributes().containsKey(TripHandler.TRIPPED);
    }

    /**
     * How many of the newest points a host reads to plan: enough for {@code 2 × keepGood} restorable points in an
     * environment where most deploys are not restorable, and bounded.
     *
     * @param keepGood
     *         how many good points' builds to keep
     * @return the number of newest points to pass to {@link #plan}
     */
    public static int window(final int keepGood) {
        return Math.min(1000, Math.max(50, 20 * LOOK_BACK * keepGood));
    }
}
