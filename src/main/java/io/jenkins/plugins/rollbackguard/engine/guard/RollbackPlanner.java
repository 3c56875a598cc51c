package io.jenkins.plugins.rollbackguard.engine.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * Picks the point to return to and says whether returning is safe. Rules, in order: a failed revert is
 * never reverted again (no loops); automatic reverts are throttled by the cooldown; the target is the
 * newest GOOD or ADOPTED point whose artifacts are still present (points whose artifacts are gone become
 * UNAVAILABLE) and to which no revert failed (until a person marks it good again); across a data-version change,
 * code is only rolled back together with a verified database backup of the target, and only if the policy allows
 * restoring data, unless a person allowed that rollback on purpose ({@link Decisions#allowAcrossDataVersion}: the one
 * override of this rule).
 */
public final class RollbackPlanner {
    /** Point attribute naming what started a deploy: manual, auto (a revert after a trip), drill. */
    public static final String TRIGGER = "trigger";
    /** The trigger of an automatic revert. */
    public static final String AUTO = "auto";
    private static final int HISTORY_SCAN = 500;

    private final Ledger ledger;
    private final ArtifactStore artifacts;
    private final Supplier<Instant> clock;

    /**
     * Creates a planner.
     *
     * @param ledger
     *         the ledger
     * @param artifacts
     *         tells which artifacts are still present
     * @param clock
     *         the time source, for the cooldown
     */
    public RollbackPlanner(final Ledger ledger, final ArtifactStore artifacts, final Supplier<Instant> clock) {
        this.ledger = ledger;
        this.artifacts = artifacts;
        this.clock = clock;
    }

    /**
     * Plans the automatic revert after a trip.
     *
     * @param policy
     *         the policy of the failed deploy
     * @param failed
     *         the point that failed
     * @return the plan
     */
    public RevertPlan planAutomatic(final Policy policy, final RollbackPoint failed) {
        if (failed.isRevert()) {
            return new RevertPlan.Manual(failed, ("it is itself a revert of #%d that failed its watch; the guard never "
                    + "reverts a revert, so the environment stays frozen").formatted(failed.revertOf()));
        }
        Optional<String> throttled = cooldown(failed.environment(), policy.cooldownDuration());
        if (throttled.isPresent()) {
            return new RevertPlan.Manual(failed, throttled.get());
        }
        return newestRestorable(failed.environment(), failed.id(), true)
                .map(target -> dataGuard(policy, failed, target, "newest good point"))
                .orElseGet(() -> new RevertPlan.Manual(failed, "no good point with its artifacts present to return to"));
    }

    /**
     * What {@link #planAutomatic} would decide if a deploy not yet recorded tripped now ({@code deploy --dry-run}):
     * the same rules, and nothing written (a point whose artifacts are gone is skipped, not marked UNAVAILABLE).
     *
     * @param policy
     *         the policy of the deploy
     * @param leaving
     *         the deploy as it would be recorded: its next id and data version
     * @return the plan
     */
    public RevertPlan previewAutomatic(final Policy policy, final RollbackPoint leaving) {
        Optional<String> throttled = cooldown(leaving.environment(), policy.cooldownDuration());
        if (throttled.isPresent()) {
            return new RevertPlan.Manual(leaving, throttled.get());
        }
        return newestRestorable(leaving.environment(), leaving.id(), false)
                .map(target -> dataGuard(policy, leaving, target, "newest good point"))
                .orElseGet(() -> new RevertPlan.Manual(leaving, "no good point with its artifacts present to return to"));
    }

    /**
     * Plans a revert asked for by a person ({@code rollback --to}, the build page button).
     *
     * @param policy
     *         the policy of the point being left
     * @param leaving
     *         the point that runs now
     * @param targetId
     *         the point to return to, or 0 for the newest good one
     * @return the plan
     */
    public RevertPlan planManual(final Policy policy, final RollbackPoint leaving, final long targetId) {
        if (targetId == 0) {
            return newestRestorable(leaving.environment(), leaving.id(), true)
                    .map(target -> dataGuard(policy, leaving, target, "last good point, asked for"))
                    .orElseGet(() -> new RevertPlan.Manual(leaving, "no good point with its artifacts present to return to"));
        }
        RollbackPoint target = ledger.point(leaving.environment(), targetId);
        if (target.status().isRestorable() && !target.isRestorable()) {
            return new RevertPlan.Manual(leaving, ("#%d is no rollback target since a revert to it failed (%s): mark it "
                    + "good first (rollback-guard mark --env %s --point %d --good --reason ...)").formatted(targetId,
                    target.attributes().get(RollbackPoint.REVERT_FAILED), leaving.environment(), targetId));
        }
        if (!target.status().isRestorable()) {
            return new RevertPlan.Manual(leaving, "#%d is %s, not a good point: only GOOD or ADOPTED points can be returned to"
                    .formatted(targetId, target.status()));
        }
        if (!artifactsPresent(target)) {
            return new RevertPlan.Manual(leaving, "#%d's artifacts are gone: %s".formatted(targetId, missing(target)));
        }
        return dataGuard(policy, leaving, target, "asked for");
    }

    /**
     * Returns the point a rollback of {@code leaving} returns to when none is named: the newest good point before it
     * with its artifacts present (points whose artifacts are gone become UNAVAILABLE on the way).
     *
     * @param leaving
     *         the point that runs now
     * @return the target, if any
     */
    public Optional<RollbackPoint> lastGoodBefore(final RollbackPoint leaving) {
        return newestRestorable(leaving.environment(), leaving.id(), true);
    }

    private RevertPlan dataGuard(final Policy policy, final RollbackPoint leaving, final RollbackPoint target,
                                 final String why) {
        Optional<String> half = DataCompatibility.halfApplied(leaving);
        if (half.isPresent()) { // before anything else: no code or data goes back over a migration stopped half-way
            return new RevertPlan.Manual(leaving, ("%s: '%s' is frozen before any revert; repair the migration (flyway "
                    + "repair, release the Liquibase lock, clear golang-migrate's dirty flag) and check the data, then "
                    + "reset the circuit or roll back by hand").formatted(half.get(), leaving.environment()));
        }
        if (!DataCompatibility.changed(leaving, target)) {
            return new RevertPlan.Revert(leaving, target, List.of(), why);
        }
        String[] versions = DataCompatibility.versions(leaving, target);
        String now = versions[0];
        String then = versions[1];
        Optional<Boolean> allowed = Decisions.dataOverride(leaving, target);
        if (allowed.isPresent()) { // a person decided to cross the data-version change: one override, recorded
            List<BackupRef> restore = allowed.get() ? Decisions.restorable(target) : List.of();
            if (allowed.get() && restore.isEmpty()) {
                return new RevertPlan.Manual(leaving, "%s has no verified backup to restore any more".formatted(target.label()));
            }
            return new RevertPlan.Revert(leaving, target, restore, ("%s; data version %s -> %s, allowed by a person "
                    + "(%s)").formatted(why, now, then, restore.isEmpty() ? "the data is not restored"
                    : "restoring %d backup(s) of #%d first".formatted(restore.size(), target.id())));
        }
        DataVersionSpec data = policy.dataTracking();
        List<io.jenkins.plugins.rollbackguard.engine.data.Migration> crossed = DataCompatibility.crossed(leaving, target);
        List<io.jenkins.plugins.rollbackguard.engine.data.Migration> blocking =
                DataCompatibility.blocking(crossed, leaving, data);
        if (!crossed.isEmpty() && blocking.isEmpty()) {
            String warning = ("the schema stays forward at %s: the code of #%d runs on it, since %s %s declared "
                    + "backward compatible (expand)").formatted(now, target.id(), DataCompatibility.names(crossed),
                    crossed.size() == 1 ? "is" : "are");
            return new RevertPlan.Revert(leaving, target, List.of(), "%s; data version %s -> %s crosses expand "
                    .formatted(why, now, then) + "migrations only", warning, false);
        }
        String across = blocking.isEmpty() ? "" : " through %s, not declared backward compatible (no '-- %s' marker, "
                .formatted(DataCompatibility.names(blocking), DataCompatibility.MARKER)
                + "Liquibase label or context 'expand', or dataVersion.compatible entry)";
        if (data != null && data.undo() != null) {
            return new RevertPlan.Revert(leaving, target, List.of(), ("%s; data version %s -> %s%s: the policy's undo "
                    + "%s runs first, and the data head must come back to %s").formatted(why, now, then, across,
                    data.undo().command(), then), null, true);
        }
        List<BackupRef> databases = databaseBackupAtHeadOf(leaving, target);
        if (policy.allowDataRestore() && !databases.isEmpty()) {
            return new RevertPlan.Revert(leaving, target, databases, "%s; data version %s -> %s%s, restoring its database "
                    .formatted(why, now, then, across) + "backup taken %s".formatted(databases.get(0).takenAt()));
        }
        String remedy = databases.isEmpty()
                ? "no verified database backup holds the data at the head of #%d".formatted(target.id())
                : "the policy does not allow restoring data (allowDataRestore: false)";
        return new RevertPlan.Manual(leaving, ("data version changed from %s (#%d) to %s (#%d)%s: rolling the code back "
                + "without the data could break it, the policy declares no dataVersion.undo, and %s; to cross it on "
                + "purpose: rollback-guard rollback --env %s --to %d --across-data-version [--restore-data] --reason ...")
                .formatted(then, target.id(), now, leaving.id(), across, remedy, leaving.environment(), target.id()));
    }

    /**
     * The verified database backups that hold the data as the target's code left it. With data heads, that is the
     * backup taken before the deploy of the newest point after the target (up to the one left) whose head before its
     * deploy was the target's head: taken just before the migrations that a rollback must undo. Without heads (a data
     * version given as a value or a command), the target's own database backups.
     */
    private List<BackupRef> databaseBackupAtHeadOf(final RollbackPoint leaving, final RollbackPoint target) {
        if (target.lastHead().isEmpty()) {
            return databases(target);
        }
        String head = target.lastHead().get().head().head();
        for (RollbackPoint p : ledger.history(leaving.environment(), 0, Math.min(HISTORY_SCAN, Math.max(1,
                ledger.size(leaving.environment()))))) {
            if (p.id() > leaving.id() || p.id() < target.id()) {
                continue;
            }
            boolean atHead = !p.dataHeads().isEmpty() && p.dataHeads().get(0).head().head().equals(head);
            if (atHead && !databases(p).isEmpty()) {
                return databases(p);
            }
        }
        return List.of();
    }

    private static List<BackupRef> databases(final RollbackPoint point) {
        return point.backups().stream().filter(b -> ("postgres".equalsIgnoreCase(b.kind())
                || "mysql".equalsIgnoreCase(b.kind())) && b.verifiedAt() != null).toList();
    }

    private Optional<String> cooldown(final EnvironmentName environment, final Duration cooldown) {
        Instant now = clock.get();
        for (RollbackPoint point : ledger.history(environment, 0, Math.min(HISTORY_SCAN, Math.max(1, ledger.size(environment))))) {
            if (point.isRevert() && AUTO.equals(point.attributes().get(TRIGGER))) {
                Duration since = Duration.between(point.createdAt(), now);
                if (since.compareTo(cooldown) < 0) {
                    return Optional.of(("automatic rollbacks of '%s' are throttled: the last one (#%d) started %ds ago, "
                            + "cooldown %ds").formatted(environment, point.id(), since.toSeconds(), cooldown.toSeconds()));
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The newest GOOD or ADOPTED point older than {@code before} whose artifacts are present; others become
     * UNAVAILABLE when {@code mark}.
     */
    private Optional<RollbackPoint> newestRestorable(final EnvironmentName environment, final long before,
                                                     final boolean mark) {
        for (int page = 0; page * 1000L < ledger.size(environment); page++) {
            for (RollbackPoint point : ledger.history(environment, page, 1000)) {
                if (point.id() >= before || !point.isRestorable()) { // a target whose revert failed waits for a mark
                    continue;
                }
                if (artifactsPresent(point)) {
                    return Optional.of(point);
                }
                if (!mark) {
                    continue;
                }
                ledger.transition(environment, point.id(), PointStatus.UNAVAILABLE, "planner",
                        "its artifacts are gone: " + missing(point));
            }
        }
        return Optional.empty();
    }

    private boolean artifactsPresent(final RollbackPoint point) {
        return point.artifacts().stream().allMatch(artifacts::contains);
    }

    private String missing(final RollbackPoint point) {
        List<String> names = new ArrayList<>();
        for (ArtifactRef artifact : point.artifacts()) {
            if (!artifacts.contains(artifact)) {
                names.add(artifact.name() + " (" + artifact.sha256().substring(0, 12) + ")");
            }
        }
        return String.join(", ", names);
    }
}
