package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * The counts {@code metrics} and Jenkins' {@code /rollback-guard/api/json} give beside the ledger's DORA and incident
 * figures, read from the points: the ledger keeps no counter of trips or reverts, so this reads each point once (a
 * page of 1,000 at a time). Drills are rehearsals and left out.
 *
 * @param trips
 *         points the guard judged BAD (they carry {@link TripHandler#TRIPPED}), reverts included
 * @param reverts
 *         reverts, automatic or by hand, that were started
 * @param failedReverts
 *         those of them that became BAD
 */
public record GuardCounts(long trips, long reverts, long failedReverts) {
    private static final int PAGE = 1000;

    /**
     * Counts an environment's points.
     *
     * @param ledger
     *         the ledger
     * @param env
     *         the environment
     * @return the counts
     */
    public static GuardCounts of(final Ledger ledger, final EnvironmentName env) {
        long trips = 0;
        long reverts = 0;
        long failed = 0;
        int size = ledger.size(env);
        for (int page = 0; (long) page * PAGE < size; page++) {
            List<RollbackPoint> points = ledger.history(env, page, PAGE);
            for (RollbackPoint p : points) {
                if ("drill".equals(p.attributes().get(RollbackPlanner.TRIGGER))) {
                    continue;
                }
                if (p.attributes().containsKey(TripHandler.TRIPPED)) {
                    trips++;
                }
                if (p.isRevert() && p.status() != PointStatus.ABORTED) {
                    reverts++;
                    if (p.status() == PointStatus.BAD) {
                        failed++;
                    }
                }
            }
            if (points.size() < PAGE) {
                break;
            }
        }
        return new GuardCounts(trips, reverts, failed);
    }
}
