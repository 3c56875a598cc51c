package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.List;

import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/** What the {@link RollbackPlanner} decided: revert to a target, or leave it to a person. */
public sealed interface RevertPlan permits RevertPlan.Revert, RevertPlan.Manual {
    /** @return one human line */
    String describe();

    /**
     * Revert: deploy the target's artifacts again (and restore its database backups first, if listed).
     *
     * @param leaving
     *         the point that runs now and is left
     * @param target
     *         the point to return to
     * @param dataRestore
     *         database backups of the target to restore before the code (data-version change allowed by policy)
     * @param reason
     *         why this target
     */
    record Revert(RollbackPoint leaving, RollbackPoint target, List<BackupRef> dataRestore, String reason)
            implements RevertPlan {
        /** Copies the list. */
        public Revert {
            dataRestore = List.copyOf(dataRestore);
        }

        @Override
        public String describe() {
            return "revert %s to %s%s: %s".formatted(leaving.label(), target.label(),
                    dataRestore.isEmpty() ? "" : " restoring " + dataRestore.size() + " database backup(s)", reason);
        }
    }

    /**
     * No automatic revert: a person must decide.
     *
     * @param leaving
     *         the point that runs now
     * @param reason
     *         why, and what the person can do
     */
    record Manual(RollbackPoint leaving, String reason) implements RevertPlan {
        @Override
        public String describe() {
            return "manual decision needed for %s: %s".formatted(leaving.label(), reason);
        }
    }
}
