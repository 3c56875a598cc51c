package io.jenkins.plugins.rollbackguard.engine.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupKind;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * The data side of a code rollback across a data-version change, before the code goes back: the policy's undo (then
 * the head must be the target's), or a restore of the target's database backup, preceded by a verified dump of the
 * database as it is (kept with the point left, so that rows written since the backup can be recovered) and by the
 * data-loss window (the time since the backup, and the rows written since in the policy's business tables: their
 * count now against the count the guard took right after the backup).
 */
final class DataRollback {
    private final GuardServices services;
    private final Policy policy;
    private final Timeline timeline;
    private final DataHeadObserver data;

    DataRollback(final GuardServices services, final Policy policy, final Timeline timeline, final DataHeadObserver data) {
        this.services = services;
        this.policy = policy;
        this.timeline = timeline;
        this.data = data;
    }

    /**
     * Runs the policy's undo and checks that the data head came back to the target's.
     *
     * @param revert
     *         the plan
     * @param env
     *         the hooks' variables
     * @return null when the head is the target's, else the line saying why the environment stays frozen
     */
    String undo(final RevertPlan.Revert revert, final Map<String, String> env) {
        DataUndoSpec undo = policy.dataTracking().undo();
        Map<String, String> vars = new LinkedHashMap<>(env);
        String[] versions = DataCompatibility.versions(revert.leaving(), revert.target());
        vars.put("ROLLBACK_GUARD_TARGET_HEAD", versions[1] == null ? "" : versions[1]);
        String tag = DataCompatibility.lastTag(revert.target());
        vars.put("ROLLBACK_GUARD_TARGET_TAG", tag == null ? "" : tag);
        String failure = new HookRunner(services.runner(), services.secrets(), timeline).run("dataVersion",
                List.of(undo.asHook()), vars);
        if (failure != null) {
            return "the data undo failed (%s): the code was not rolled back and '%s' stays frozen; check the data"
                    .formatted(failure, revert.leaving().environment());
        }
        return headBack(revert, "after-undo", "the data undo ran");
    }

    /**
     * Before a restore: dumps each database restored as it is now (verified, kept with the point left) and prints the
     * data-loss window.
     *
     * @param revert
     *         the plan
     * @return null, or why the restore must not run (the dump failed)
     */
    String beforeRestore(final RevertPlan.Revert revert) {
        RollbackPoint leaving = revert.leaving();
        List<String> dumps = new ArrayList<>();
        for (BackupRef backup : revert.dataRestore()) {
            Optional<BackupSpec> spec = services.backups().policySpecOf(backup.id(), policy.backups());
            if (spec.isEmpty() || !isDatabase(spec.get())) {
                continue;
            }
            timeline.add("data", window(backup, revert.target(), spec.get()));
            try {
                BackupManifest dump = services.backups().take(leaving.environment().value(), spec.get(),
                        new BackupContext(services.secrets(), services.runner(), services.scheduler(),
                                services.listener(), "pre-restore-" + leaving.id()));
                BackupRef ref = new BackupRef(dump.id(), backup.kind(), dump.sha256(), dump.size(), dump.startedAt(),
                        dump.verification().at());
                dumps.add(dump.id());
                String ids = String.join(",", dumps);
                services.ledger().update(leaving.environment(), leaving.id(), "guard", "database dumped before the "
                        + "restore as " + dump.id(), builder -> builder.attribute(DataHeadObserver.PRE_RESTORE_DUMPS, ids));
                timeline.add("data", ("dumped %s as it is before the restore: backup %s (%d bytes, verified: %s), kept "
                        + "with %s: the rows written since the backup are in it (rollback-guard restore --env %s "
                        + "--backup %s --to-scratch ... to read them)").formatted(spec.get().describe(), ref.id(),
                        ref.size(), dump.verification().detail(), leaving.label(), leaving.environment(), ref.id()));
            }
            catch (RuntimeException e) {
                return services.masker().mask(("the dump of %s before the restore failed: %s; nothing was restored and "
                        + "the code was not rolled back").formatted(spec.get().describe(), e.getMessage()));
            }
        }
        return null;
    }

    /**
     * After a restore: the head must be the target's.
     *
     * @param revert
     *         the plan
     * @return null when it is (or nothing is tracked), else why the environment stays frozen
     */
    String afterRestore(final RevertPlan.Revert revert) {
        return headBack(revert, "after-restore", "the database backup was restored");
    }

    /** @return the dumps taken before a restore of the point's data, named for a notification, or "" */
    static String dumpsOf(final RollbackPoint point) {
        String ids = point.attributes().get(DataHeadObserver.PRE_RESTORE_DUMPS);
        return ids == null ? "" : "; the database as it was before the restore is kept as backup " + ids;
    }

    private String headBack(final RevertPlan.Revert revert, final String phase, final String what) {
        RollbackPoint target = revert.target();
        if (target.lastHead().isEmpty() || !data.tracks()) {
            return null;
        }
        RollbackPoint now = data.observe(services.ledger().point(revert.leaving().environment(), revert.leaving().id()),
                phase);
        String expected = target.lastHead().get().head().head();
        String seen = now.lastHead().filter(h -> h.phase().equals(phase)).map(h -> h.head().head()).orElse(null);
        if (expected.equals(seen)) {
            timeline.add("data", "%s: the data head is back at %s, the head of %s".formatted(what, expected, target.label()));
            return null;
        }
        return ("%s, but the data head is %s, not %s (the head of %s): the code was not rolled back and '%s' stays "
                + "frozen; check the data").formatted(what, seen == null ? "unreadable" : seen, expected, target.label(),
                revert.leaving().environment());
    }

    private String window(final BackupRef backup, final RollbackPoint target, final BackupSpec spec) {
        Instant now = services.scheduler().now();
        Map<String, Long> then = DataHeadObserver.readCounts(countsAt(target, backup));
        Map<String, Long> counts = data.countRows(spec);
        List<String> rows = new ArrayList<>();
        counts.forEach((table, count) -> rows.add(then.containsKey(table)
                ? "%s %+d (%d then, %d now)".formatted(table, count - then.get(table), then.get(table), count)
                : "%s %d now (not counted at the backup)".formatted(table, count)));
        return ("data-loss window: restoring %s backup %s of %s taken %s, %s ago; rows written since in the business "
                + "tables (count now minus count right after the backup): %s").formatted(backup.kind(), backup.id(),
                target.label(), backup.takenAt(), human(Duration.between(backup.takenAt(), now)),
                rows.isEmpty() ? "none named (dataVersion.businessTables)" : String.join(", ", rows));
    }

    /** @return the row counts taken right after a backup, kept on the point it was taken for, or null */
    private String countsAt(final RollbackPoint target, final BackupRef backup) {
        String key = DataHeadObserver.ROWS + backup.id();
        var ledger = services.ledger();
        for (RollbackPoint p : ledger.history(target.environment(), 0, Math.min(500, Math.max(1,
                ledger.size(target.environment()))))) {
            if (p.attributes().containsKey(key)) {
                return p.attributes().get(key);
            }
        }
        return null;
    }

    private static boolean isDatabase(final BackupSpec spec) {
        return spec.kind() == BackupKind.POSTGRES || spec.kind() == BackupKind.MYSQL;
    }

    private static String human(final Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return seconds < 120 ? seconds + "s" : seconds < 7200 ? seconds / 60 + "m" : seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
    }
}
