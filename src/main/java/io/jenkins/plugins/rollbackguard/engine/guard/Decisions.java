package io.jenkins.plugins.rollbackguard.engine.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * What a person decides when the guard asks for a manual decision, each with a reason and recorded in the ledger as
 * who, when and why ({@code DECISION} events): a point marked good or bad, an interrupted watch resumed, a rollback
 * across a data-version change allowed. The command line and the Jenkins job page both decide through this class,
 * so that both refuse the same nonsense with the same sentence.
 */
public final class Decisions {
    /**
     * Point attribute on the point being left: a rollback across a data-version change was allowed by a person, as
     * {@code <target id>:<restore data>}; the {@link RollbackPlanner} honours it for that target only.
     */
    public static final String DATA_OVERRIDE = "decision.dataVersion";

    private final Ledger ledger;
    private final Supplier<Instant> clock;

    /**
     * Creates the decisions of a ledger.
     *
     * @param ledger
     *         the ledger
     * @param clock
     *         the time source, for the data-loss window
     */
    public Decisions(final Ledger ledger, final Supplier<Instant> clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Marks a point good (it becomes a rollback target, the last good point if it is the newest) or bad (never
     * returned to). Only a point the guard could not decide may be marked: INCONCLUSIVE, INTERRUPTED, or a good point
     * whose revert failed; a good point may also be marked bad. Nothing is deployed or reverted, the circuit stays
     * as it is.
     *
     * @param environment
     *         the environment
     * @param pointId
     *         the point
     * @param good
     *         true to mark it good, false to mark it bad
     * @param actor
     *         who decides
     * @param reason
     *         why; required
     * @return the point after the decision
     * @throws GuardRefusedException
     *         when the mark makes no sense (a deploy still in flight, a point already so marked, a point that is gone)
     * @throws IllegalArgumentException
     *         when the reason is blank
     */
    public RollbackPoint mark(final EnvironmentName environment, final long pointId, final boolean good,
                              final String actor, final String reason) {
        requireReason(reason, "mark %s#%d %s".formatted(environment, pointId, good ? "good" : "bad"));
        RollbackPoint point = ledger.point(environment, pointId);
        String label = point.label();
        PointStatus status = point.status();
        boolean failedTarget = point.attributes().containsKey(RollbackPoint.REVERT_FAILED);
        if (status.isInFlight()) {
            throw new GuardRefusedException(("%s is still %s under its guard %s, which is alive (or runs on another "
                    + "host): wait for its verdict, or stop it first").formatted(label, status, point.owner()));
        }
        PointStatus to;
        if (good) {
            to = switch (status) {
                case INCONCLUSIVE, INTERRUPTED -> PointStatus.GOOD;
                case GOOD, ADOPTED -> {
                    if (!failedTarget) {
                        throw new GuardRefusedException("%s is already %s: there is nothing to mark".formatted(label, status));
                    }
                    yield status; // only the failed revert is forgiven
                }
                default -> throw new GuardRefusedException(("%s is %s: only an INCONCLUSIVE or INTERRUPTED point, or a "
                        + "good point whose revert failed, can be marked good").formatted(label, status));
            };
        }
        else {
            to = switch (status) {
                case INCONCLUSIVE, INTERRUPTED, GOOD, ADOPTED -> PointStatus.BAD;
                case BAD -> throw new GuardRefusedException("%s is already BAD: there is nothing to mark".formatted(label));
                default -> throw new GuardRefusedException(("%s is %s: it is no rollback target already, there is "
                        + "nothing to mark").formatted(label, status));
            };
        }
        String why = "marked %s by %s: %s".formatted(good ? "good" : "bad", actor, reason.strip());
        return ledger.decide(environment, pointId, to, actor, why, builder -> {
            builder.removeAttribute(RollbackPoint.REVERT_FAILED).verdict(why);
            GuardState state = GuardState.of(builder.build());
            if (state != null && state.phase() != GuardState.Phase.DONE) {
                // the person decided what its guard could not: a resume must not go on with it
                state.done(good ? GuardOutcome.Result.GOOD : GuardOutcome.Result.BAD).applyTo(builder);
            }
            return builder;
        });
    }

    /**
     * Finds the point of an environment whose watch a {@code resume} goes on with, and records the decision to resume
     * it: the newest point, INTERRUPTED while its guard machine was preparing, deploying or watching (its host died:
     * a SIGKILL, a crash).
     *
     * @param environment
     *         the environment
     * @param actor
     *         who resumes it
     * @param reason
     *         why; required
     * @return the point to resume
     * @throws GuardRefusedException
     *         when no point is waiting to be resumed
     */
    public RollbackPoint resume(final EnvironmentName environment, final String actor, final String reason) {
        requireReason(reason, "resume " + environment);
        RollbackPoint point = interrupted(environment).orElseThrow(() -> new GuardRefusedException(("environment '%s' "
                + "has no interrupted deploy to resume: its newest point is %s").formatted(environment,
                ledger.history(environment, 0, 1).stream().findFirst().map(p -> p.label() + " " + p.status())
                        .orElse("none"))));
        if (point.status().isInFlight()) {
            throw new GuardRefusedException(("%s is still %s under its guard %s, which is alive (or runs on another "
                    + "host): there is nothing to resume").formatted(point.label(), point.status(), point.owner()));
        }
        GuardState state = GuardState.of(point);
        return ledger.decide(environment, point.id(), null, actor, "resume the %s of %s asked by %s: %s".formatted(
                state.phase() == GuardState.Phase.WATCHING ? "watch" : "guard", point.label(), actor, reason.strip()),
                builder -> builder);
    }

    /**
     * Returns the newest point of an environment left INTERRUPTED by a guard machine that did not end (its host
     * died while it prepared, deployed or watched): a deploy to the environment waits for a decision about it.
     * Points older than the newest decided one are not looked at.
     *
     * @param environment
     *         the environment
     * @return the point, if any
     */
    public Optional<RollbackPoint> interrupted(final EnvironmentName environment) {
        for (RollbackPoint point : ledger.history(environment, 0, Math.max(1, Math.min(20, ledger.size(environment))))) {
            GuardState state = GuardState.of(point);
            boolean unfinished = state != null && state.phase() != GuardState.Phase.DONE
                    && state.phase() != GuardState.Phase.JUDGING;
            if ((point.status() == PointStatus.INTERRUPTED || point.status().isInFlight()) && unfinished) {
                return Optional.of(point);
            }
            if (!point.status().isInFlight()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Allows the rollback of what runs now to a point of another data version, on purpose: the planner refuses it
     * otherwise. With {@code restoreData} the target's verified backups are restored first (data written since they
     * were taken is lost); without, the data stays as the newer code left it.
     *
     * @param environment
     *         the environment
     * @param leavingId
     *         the point that runs now
     * @param targetId
     *         the point to return to
     * @param restoreData
     *         whether to restore the target's verified backups first
     * @param actor
     *         who decides
     * @param reason
     *         why; required
     * @return what the decision means for the data, one line (the data-loss window)
     * @throws GuardRefusedException
     *         when the data versions do not differ, or no verified backup of the target exists to restore
     */
    public String allowAcrossDataVersion(final EnvironmentName environment, final long leavingId, final long targetId,
                                         final boolean restoreData, final String actor, final String reason) {
        requireReason(reason, "roll back %s across a data-version change".formatted(environment));
        RollbackPoint leaving = ledger.point(environment, leavingId);
        RollbackPoint target = ledger.point(environment, targetId);
        String[] versions = DataCompatibility.versions(leaving, target);
        String now = versions[0];
        String then = versions[1];
        if (!DataCompatibility.changed(leaving, target)) {
            throw new GuardRefusedException(("%s and %s have the same data version (%s): roll back without "
                    + "--across-data-version").formatted(leaving.label(), target.label(), now == null ? then : now));
        }
        String window = dataLossWindow(leaving, target, restoreData);
        ledger.decide(environment, leavingId, null, actor, "rollback across the data-version change %s -> %s to #%d "
                .formatted(now, then, targetId) + "allowed by %s: %s; %s".formatted(actor, reason.strip(), window),
                builder -> builder.attribute(DATA_OVERRIDE, targetId + ":" + restoreData));
        return window;
    }

    /**
     * Says what a rollback across a data-version change does to the data.
     *
     * @param leaving
     *         the point that runs now
     * @param target
     *         the point returned to
     * @param restoreData
     *         whether the target's backups are restored
     * @return one line
     * @throws GuardRefusedException
     *         when data is to be restored and the target has no verified backup
     */
    String dataLossWindow(final RollbackPoint leaving, final RollbackPoint target, final boolean restoreData) {
        Instant now = clock.get();
        if (restoreData) {
            List<BackupRef> backups = restorable(target);
            if (backups.isEmpty()) {
                throw new GuardRefusedException(("%s has no verified backup to restore: roll back without "
                        + "--restore-data to keep the data as it is, or choose another point").formatted(target.label()));
            }
            Instant oldest = backups.stream().map(BackupRef::takenAt).min(Instant::compareTo).orElseThrow();
            return ("data-loss window: %d backup(s) of %s are restored (taken %s); data written since %s (%s ago) "
                    + "until now (%s) is lost").formatted(backups.size(), target.label(), oldest, oldest,
                    human(Duration.between(oldest, now)), now);
        }
        Instant since = leaving.deployedAt() != null ? leaving.deployedAt() : leaving.createdAt();
        return ("data-loss window: none restored; the data stays at version %s as written since %s (%s ago, the deploy "
                + "of %s) until now (%s), and the code of %s expects version %s").formatted(leaving.dataVersion(),
                since, human(Duration.between(since, now)), leaving.label(), now, target.label(), target.dataVersion());
    }

    /**
     * The override a person recorded on the point being left, if it names this target.
     *
     * @param leaving
     *         the point being left
     * @param target
     *         the point returned to
     * @return whether to restore data, if the rollback to this target was allowed
     */
    static Optional<Boolean> dataOverride(final RollbackPoint leaving, final RollbackPoint target) {
        String value = leaving.attributes().get(DATA_OVERRIDE);
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split(":");
        return parts.length == 2 && parts[0].equals(Long.toString(target.id()))
                ? Optional.of(Boolean.parseBoolean(parts[1])) : Optional.empty();
    }

    /** @return the target's verified backups: what a data restore of it restores */
    static List<BackupRef> restorable(final RollbackPoint target) {
        return target.backups().stream().filter(b -> b.verifiedAt() != null).toList();
    }

    private static void requireReason(final String reason, final String what) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason: a reason is required to %s; give one with --reason".formatted(what));
        }
    }

    private static String human(final Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return seconds < 120 ? seconds + "s" : seconds < 7200 ? seconds / 60 + "m" : seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
    }
}
