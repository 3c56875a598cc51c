package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a rollback point. A guarded deploy goes RECORDED, DEPLOYING, WATCHING, then a
 * verdict (GOOD, BAD, INCONCLUSIVE) or ABORTED. A bad point becomes REVERTED once rolled back; a point
 * whose watcher died is found INTERRUPTED on the next open; a point whose artifacts are gone is
 * UNAVAILABLE. ADOPTED records what already runs, so that the first guarded deploy can return to it.
 */
public enum PointStatus {
    /** Recorded; nothing deployed yet. */
    RECORDED,
    /** The deploy runs. */
    DEPLOYING,
    /** Deployed; health is being watched. */
    WATCHING,
    /** The watch passed: a rollback target. */
    GOOD,
    /** The deploy or the watch failed. */
    BAD,
    /** The watch could not decide. */
    INCONCLUSIVE,
    /** Stopped by a person or a failure before a verdict. */
    ABORTED,
    /** Rolled back: the environment no longer runs it. */
    REVERTED,
    /** Its watcher died before a verdict (found on the next open). */
    INTERRUPTED,
    /** Its artifacts are gone: it can no longer be restored. */
    UNAVAILABLE,
    /** What already ran before the first guarded deploy: a rollback target. */
    ADOPTED;

    /** @return whether a revert may target a point in this status */
    public boolean isRestorable() {
        return this == GOOD || this == ADOPTED;
    }

    /** @return whether a deploy is still in flight in this status */
    public boolean isInFlight() {
        return this == RECORDED || this == DEPLOYING || this == WATCHING;
    }

    /** @return whether the deploy ended with a verdict of failure */
    public boolean isFailure() {
        return this == BAD;
    }

    /**
     * Tells whether a point may move from this status to another.
     *
     * @param target
     *         the new status
     * @return whether the transition is part of the lifecycle
     */
    public boolean canMoveTo(final PointStatus target) {
        return successors().contains(target);
    }

    /** @return the statuses this one may move to */
    public Set<PointStatus> successors() {
        return switch (this) {
            case RECORDED -> EnumSet.of(DEPLOYING, WATCHING, BAD, ABORTED, INTERRUPTED, UNAVAILABLE);
            case DEPLOYING -> EnumSet.of(WATCHING, BAD, ABORTED, INTERRUPTED);
            case WATCHING -> EnumSet.of(GOOD, BAD, INCONCLUSIVE, ABORTED, INTERRUPTED);
            // a guard resumed after a restart goes on from where its state says it stood
            case INTERRUPTED -> EnumSet.of(DEPLOYING, WATCHING, GOOD, BAD, INCONCLUSIVE, ABORTED, UNAVAILABLE);
            case INCONCLUSIVE -> EnumSet.of(GOOD, BAD, REVERTED, UNAVAILABLE);
            case GOOD -> EnumSet.of(BAD, REVERTED, UNAVAILABLE);
            // a person may mark what ran before bad (a revert to it failed, and it is no longer to be returned to)
            case ADOPTED -> EnumSet.of(BAD, REVERTED, UNAVAILABLE);
            case BAD -> EnumSet.of(REVERTED, UNAVAILABLE);
            case ABORTED, REVERTED -> EnumSet.of(UNAVAILABLE);
            case UNAVAILABLE -> EnumSet.noneOf(PointStatus.class);
        };
    }
}
