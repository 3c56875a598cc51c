package io.jenkins.plugins.rollbackguard.steps;

import java.util.Optional;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Queue;
import hudson.model.Run;

/**
 * Schedules reverting builds: a new build of the target's job with a {@link RollbackCause}, the target's
 * parameters, its git revision pinned when the Git plugin is installed, and a {@link RollbackTargetAction}.
 * Used by a tripped guard, by {@code rollbackTo} and by the build page's "Roll back to this build" button.
 */
public final class RevertingBuilds {
    private RevertingBuilds() {
    }

    /**
     * Schedules a reverting build.
     *
     * @param target
     *         the build to return to
     * @param bad
     *         the build being left, or null when none is known
     * @param environment
     *         the environment
     * @param targetPointId
     *         the target's rollback point id
     * @param reason
     *         why, shown on the build page
     * @param requestedBy
     *         who asked (a user id, or "guard")
     * @return the queue item, or empty if Jenkins refused to schedule it
     */
    public static Optional<Queue.Item> schedule(final Run<?, ?> target, @CheckForNull final Run<?, ?> bad,
                                                final String environment, final long targetPointId, final String reason,
                                                final String requestedBy) {
        throw new UnsupportedOperationException("not written yet: the pipeline steps work (issue #6) implements it");
    }
}
