package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.health.WatchResult;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * How a guarded deploy ended.
 *
 * @param result
 *         the result
 * @param point
 *         the deploy's point as it stands now
 * @param explanation
 *         one human line
 * @param revert
 *         the outcome of the revert it caused, or null
 * @param timeline
 *         what happened, in order
 * @param watch
 *         the watch's result with every measurement, or null when nothing was watched
 */
public record GuardOutcome(Result result, RollbackPoint point, String explanation, GuardOutcome revert,
                           List<Timeline.Entry> timeline, WatchResult watch) {
    /** Copies the timeline. */
    public GuardOutcome {
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    /**
     * Returns a copy that carries the watch's result.
     *
     * @param result
     *         the watch result
     * @return the copy
     */
    public GuardOutcome withWatch(final WatchResult result) {
        return new GuardOutcome(this.result, point, explanation, revert, timeline, result);
    }

    /** Results. */
    public enum Result {
        /** Healthy: the point is GOOD. */
        GOOD,
        /** The watch could not decide and the policy holds the point INCONCLUSIVE. */
        INCONCLUSIVE,
        /** Bad, and reverted to the last good point. */
        REVERTED,
        /** Bad; the environment is frozen and a person decides (policy freeze, or no safe revert). */
        FROZEN,
        /** Bad; the policy only marks it. */
        BAD,
        /** Bad, and the revert failed or was stopped by a hook. */
        REVERT_FAILED,
        /** Stopped before the deploy ran (a backup failed). */
        ABORTED,
        /**
         * Bad; a revert was started elsewhere (a reverting Jenkins build) and reports its own outcome.
         * The environment stays frozen; the revert's GOOD verdict marks this point REVERTED.
         */
        REVERTING
    }

    /** @return the CLI exit code: 0 good, 1 bad (reverted or marked), 5 revert failed or manual decision */
    public int exitCode() {
        return switch (result) {
            case GOOD -> 0;
            case INCONCLUSIVE, REVERTED, BAD, ABORTED, REVERTING -> 1;
            case FROZEN, REVERT_FAILED -> 5;
        };
    }
}
