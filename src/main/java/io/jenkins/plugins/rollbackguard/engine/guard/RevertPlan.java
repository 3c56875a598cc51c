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
     * @param dataWarning
     *         what the person should know about the data (the schema stays forward: the migrations crossed are declared
     *         backward compatible), or null
     * @param undo
     *         whether the policy's {@code dataVersion.undo} runs first, and the head must come back to the target's
     */
    record Revert(RollbackPoint leaving, RollbackPoint target, List<BackupRef> dataRestore, String reason,
                  String dataWarning, boolean undo) implements RevertPlan {
        /** Copies the list. */
        public Revert {
            dataRestore = List.copyOf(dataRestore);
        }

        /**
         * A revert that changes nothing of the data beyond restoring the backups listed.
         *
         * @param leaving the point left @param target the point returned to
         * @param dataRestore the backups restored first @param reason why this target
         */
        public Revert(final RollbackPoint leaving, final RollbackPoint target, final List<BackupRef> dataRestore,
                      final String reason) {
            this(leaving, target, dataRestore, reason, null, false);
        }

        @Override
        public String describe() {
            return "revert %s to %s%s%s: %s%s".formatted(leaving.label(), target.label(),
                    dataRestore.isEmpty() ? "" : " restoring " + dataRestore.size() + " database backup(s)",
                    undo ? " after the policy's data undo" : "", reason,
                    dataWarning == null ? "" : "; WARNING: " + dataWarning);
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
