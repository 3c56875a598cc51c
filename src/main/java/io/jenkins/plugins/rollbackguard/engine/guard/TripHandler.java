package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupException;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.RestoreTarget;
import io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation;
import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * Turns a verdict into ledger state and, on a trip, into a revert: marks the point, opens the circuit,
 * asks the {@link RollbackPlanner}, runs the leaving point's hooks, restores data when planned, starts
 * the revert, and notifies at each step. A failing revert never starts another.
 */
public final class TripHandler {
    /**
     * Point attribute: when the guard judged the point BAD (a trip, not a point marked bad by hand); its evidence is
     * kept, and in Jenkins its build, as long as the point.
     */
    public static final String TRIPPED = "guard.tripped";
    private final GuardServices services;
    private final Policy policy;
    private final Timeline timeline;
    private final Notifier notifier;
    private final TripJournal journal;
    private final DataHeadObserver data;
    private Map<String, String> responses = Map.of();

    /**
     * Creates a handler that keeps no machine state (a revert started by hand).
     *
     * @param services
     *         the host's services
     * @param policy
     *         the policy of the judged deploy
     * @param timeline
     *         the timeline
     * @param notifier
     *         tells webhooks
     */
    public TripHandler(final GuardServices services, final Policy policy, final Timeline timeline, final Notifier notifier) {
        this(services, policy, timeline, notifier, TripJournal.NONE);
    }

    /**
     * Creates a handler that writes each of its side effects to a guard machine's state before and after it.
     *
     * @param services
     *         the host's services
     * @param policy
     *         the policy of the judged deploy
     * @param timeline
     *         the timeline
     * @param notifier
     *         tells webhooks
     * @param journal
     *         keeps the machine's state of the judged point
     */
    TripHandler(final GuardServices services, final Policy policy, final Timeline timeline, final Notifier notifier,
                final TripJournal journal) {
        this.services = services.masking();
        this.policy = policy;
        this.timeline = timeline;
        this.notifier = notifier;
        this.journal = journal;
        this.data = new DataHeadObserver(this.services, policy, timeline);
    }

    /**
     * Gives the probes' last responses for the evidence of a trip (the machine's watch has them).
     *
     * @param lastResponses
     *         each probe's last response, masked and capped, by probe name
     * @return this handler
     */
    TripHandler withResponses(final Map<String, String> lastResponses) {
        this.responses = Map.copyOf(lastResponses);
        return this;
    }

    /**
     * Keeps each probe's verdict and last measurement on the point, then records the watch's verdict and
     * acts on it.
     *
     * @param point
     *         the watched point
     * @param result
     *         the watch's result
     * @param reverter
     *         carries out a revert
     * @return the outcome, carrying the watch result
     */
    public GuardOutcome onWatch(final RollbackPoint point, final io.jenkins.plugins.rollbackguard.engine.health.WatchResult result,
                                final Reverter reverter) {
        RollbackPoint measured = point;
        if (!result.verdicts().isEmpty()) {
            measured = ledger().update(point.environment(), point.id(), "guard", "measurements", builder -> {
                for (io.jenkins.plugins.rollbackguard.engine.health.Verdict verdict : result.verdicts()) {
                    List<io.jenkins.plugins.rollbackguard.engine.health.Measurement> all = verdict.measurements();
                    builder.attribute(GuardSession.MEASUREMENT + verdict.probe(), mask(verdict.status()
                            + (all.isEmpty() ? "" : ", last " + all.get(all.size() - 1).describe())
                            + " (" + verdict.samples() + " samples)"));
                }
                return builder;
            });
        }
        VerdictExplanation explained = result.explained().orElseGet(() -> VerdictExplanation.of(result.status(),
                result.explanation()));
        return onVerdict(measured, result.status(), explained, reverter).withWatch(result);
    }

    /**
     * Records a verdict and acts on it.
     *
     * @param point
     *         the judged point (DEPLOYING or WATCHING)
     * @param status
     *         the watch's verdict (or FAILED for a failed deploy)
     * @param explanation
     *         one line
     * @param reverter
     *         carries out a revert
     * @return the outcome
     */
    public GuardOutcome onVerdict(final RollbackPoint point, final VerdictStatus status, final String verdict,
                                  final Reverter reverter) {
        return onVerdict(point, status, VerdictExplanation.of(status, verdict), reverter);
    }

    /**
     * Records a verdict with its explanation (written once, on the point: {@code Ledger.explanation}) and acts on
     * it. The explanation's line is the point's verdict and the one timeline entry that says why.
     *
     * @param point
     *         the judged point (DEPLOYING or WATCHING)
     * @param status
     *         the watch's verdict (or FAILED for a failed deploy)
     * @param why
     *         the explanation
     * @param reverter
     *         carries out a revert
     * @return the outcome
     */
    public GuardOutcome onVerdict(final RollbackPoint point, final VerdictStatus status, final VerdictExplanation why,
                                  final Reverter reverter) {
        EnvironmentName env = point.environment();
        VerdictExplanation explained = why.mapTexts(this::mask); // a probe's URL or detail may quote a secret of the run
        String explanation = explained.text();
        boolean trip = status == VerdictStatus.FAILED
                || status == VerdictStatus.INCONCLUSIVE && policy.onInconclusive() == Policy.OnInconclusive.FAIL;
        if (!trip) {
            boolean good = status == VerdictStatus.PASSED || policy.onInconclusive() == Policy.OnInconclusive.PASS;
            GuardOutcome.Result result = good ? GuardOutcome.Result.GOOD : GuardOutcome.Result.INCONCLUSIVE;
            java.util.function.UnaryOperator<RollbackPoint.Builder> state = journal.verdict(result);
            RollbackPoint judged = ledger().transition(env, point.id(), good ? PointStatus.GOOD : PointStatus.INCONCLUSIVE,
                    "guard", explanation, explanation, builder -> state.apply(builder.explanation(explained)));
            timeline.add("verdict", "%s: %s".formatted(judged.status(), explanation));
            if (good) {
                if (judged.isRevert()) {
                    markReverted(ledger().point(env, judged.revertOf()), judged);
                }
                prune(env);
            }
            return outcome(result, judged, explanation, null);
        }
        java.util.function.UnaryOperator<RollbackPoint.Builder> judged = journal.verdict(null);
        RollbackPoint bad = ledger().transition(env, point.id(), PointStatus.BAD, "guard", explanation, explanation,
                builder -> judged.apply(builder.attribute(TRIPPED, services.scheduler().now().toString())
                        .explanation(explained)));
        timeline.add("verdict", "BAD: " + explanation);
        new TripEvidence(services, policy, timeline).collect(bad, explanation, responses); // before the revert
        return onBad(bad, explanation, reverter);
    }

    /**
     * Acts on a BAD verdict already recorded: tells, freezes, plans and carries out the revert. A machine resumed
     * after a restart calls this again; what was done before (a notification, the circuit) is not done twice.
     *
     * @param bad
     *         the BAD point
     * @param explanation
     *         its verdict, masked
     * @param reverter
     *         carries out the revert
     * @return the outcome
     */
    GuardOutcome onBad(final RollbackPoint tripped, final String explanation, final Reverter reverter) {
        RollbackPoint bad = tripped.isRevert() ? tripped : data.observe(tripped, "trip"); // before any revert is planned
        send(GuardEvent.Type.TRIP, bad, explanation);
        if (bad.isRevert()) {
            if (bad.deployedAt() != null) { // watched, and its watch failed: its target is in doubt as well
                markFailedTarget(bad);
            }
            freeze(bad, "the revert %s failed: %s".formatted(bad.label(), explanation), "the revert " + bad.label() + " failed");
            return outcome(GuardOutcome.Result.REVERT_FAILED, bad, "the revert failed: " + explanation, null);
        }
        if (policy.onTrip() == Policy.OnTrip.FAIL) {
            return outcome(GuardOutcome.Result.BAD, bad, explanation, null);
        }
        freeze(bad, explanation, "the verdict on " + bad.label());
        if (policy.onTrip() == Policy.OnTrip.FREEZE) {
            return outcome(GuardOutcome.Result.FROZEN, bad, explanation + "; frozen (onTrip: freeze)", null);
        }
        RevertPlan plan = new RollbackPlanner(ledger(), services.artifacts(), services.scheduler()::now)
                .planAutomatic(policy, bad);
        return execute(plan, reverter);
    }

    /**
     * Carries out a plan: hooks, data restore, the revert itself, and the ledger and notifications.
     *
     * @param plan
     *         the plan
     * @param reverter
     *         carries out the revert
     * @return the outcome, about the point being left
     */
    public GuardOutcome execute(final RevertPlan plan, final Reverter reverter) {
        if (plan instanceof RevertPlan.Manual manual) {
            if (DataCompatibility.halfApplied(manual.leaving()).isPresent()) { // frozen before any revert, even by hand
                ledger().openCircuit(manual.leaving().environment(), mask(manual.reason()), "guard", manual.leaving().id());
                timeline.add("freeze", "circuit OPEN for '%s': a migration is half-applied".formatted(
                        manual.leaving().environment()));
            }
            timeline.add("revert", plan.describe());
            ledger().note(manual.leaving().environment(), manual.leaving().id(), "planner", plan.describe());
            send(GuardEvent.Type.MANUAL_DECISION, manual.leaving(), manual.reason());
            return outcome(GuardOutcome.Result.FROZEN, current(manual.leaving()), plan.describe(), null);
        }
        RevertPlan.Revert revert = (RevertPlan.Revert) plan;
        RollbackPoint leaving = revert.leaving();
        // A revert started by hand has had no preflight: learn the policy's secrets before a hook can print one.
        PolicySecrets.resolveAvailable(policy, services.secrets());
        Map<String, String> hookEnv = Map.of("ROLLBACK_GUARD_ENVIRONMENT", leaving.environment().value(),
                "ROLLBACK_GUARD_BAD_POINT", Long.toString(leaving.id()),
                "ROLLBACK_GUARD_TARGET_POINT", Long.toString(revert.target().id()));
        HookRunner hooks = new HookRunner(services.runner(), services.secrets(), timeline);
        String hookFailure = hooks.run("beforeRevert", policy.hooks().beforeRevert(), hookEnv);
        if (hookFailure != null) {
            return stopped(leaving, hookFailure + "; the revert did not run and the environment stays frozen");
        }
        timeline.add("revert", plan.describe());
        send(GuardEvent.Type.REVERT_STARTED, leaving, plan.describe());
        journal.revertStarted(leaving, revert.target()); // from here a restart cannot know what ran: in doubt
        if (revert.dataWarning() != null) {
            timeline.add("data", "WARNING: " + revert.dataWarning());
        }
        DataRollback dataSide = new DataRollback(services, policy, timeline, data);
        if (revert.undo()) {
            String undoFailure = dataSide.undo(revert, hookEnv);
            if (undoFailure != null) {
                return frozen(leaving, undoFailure);
            }
        }
        String restoreFailure = revert.dataRestore().isEmpty() ? null : dataSide.beforeRestore(revert);
        if (restoreFailure == null) {
            restoreFailure = restoreData(revert);
        }
        if (restoreFailure != null) {
            return stopped(leaving, restoreFailure + DataRollback.dumpsOf(current(leaving)));
        }
        if (!revert.dataRestore().isEmpty()) {
            String notBack = dataSide.afterRestore(revert);
            if (notBack != null) {
                return frozen(leaving, notBack + DataRollback.dumpsOf(current(leaving)));
            }
        }
        GuardOutcome result = reverter.revert(revert);
        return reverted(revert, result);
    }

    /**
     * Records what became of a revert that was started: its result, the notifications and the after-revert hooks.
     *
     * @param revert
     *         the plan carried out
     * @param result
     *         the reverting deploy's outcome
     * @return the outcome, about the point being left
     */
    GuardOutcome reverted(final RevertPlan.Revert revert, final GuardOutcome result) {
        journal.revertEnded(revert.leaving(), result.result());
        return afterRevert(revert, result);
    }

    /**
     * Does what follows a revert's end, once its result is recorded: the after-revert hooks and the REVERT_RESULT
     * notification. A machine resumed after a restart that came between the result and its notification calls this
     * again: the hooks may then run twice (they are written to be run again), the notification is sent once.
     *
     * @param revert
     *         the plan carried out
     * @param result
     *         the reverting deploy's outcome
     * @return the outcome, about the point being left
     */
    GuardOutcome afterRevert(final RevertPlan.Revert revert, final GuardOutcome result) {
        RollbackPoint leaving = revert.leaving();
        Map<String, String> hookEnv = Map.of("ROLLBACK_GUARD_ENVIRONMENT", leaving.environment().value(),
                "ROLLBACK_GUARD_BAD_POINT", Long.toString(leaving.id()),
                "ROLLBACK_GUARD_TARGET_POINT", Long.toString(revert.target().id()));
        HookRunner hooks = new HookRunner(services.runner(), services.secrets(), timeline);
        if (result.result() == GuardOutcome.Result.REVERTING) {
            String line = mask("revert to %s started: %s".formatted(revert.target().label(), result.explanation()));
            timeline.add("revert", line);
            return outcome(GuardOutcome.Result.REVERTING, current(leaving), line, result);
        }
        if (result.result() != GuardOutcome.Result.GOOD) {
            String line = mask("revert to %s failed: %s".formatted(revert.target().label(), result.explanation()));
            send(GuardEvent.Type.REVERT_RESULT, leaving, line);
            return outcome(GuardOutcome.Result.REVERT_FAILED, current(leaving), line, result);
        }
        // the revert's GOOD verdict marked it REVERTED, unless a restart came between that verdict and the mark
        RollbackPoint reverted = markReverted(leaving, result.point());
        hooks.run("afterRevert", policy.hooks().afterRevert(), hookEnv);
        // the figures are the ledger's (Incidents), never computed here: every report gives the same three
        String figures = ledger().incident(leaving.environment(), leaving.id()).filter(i -> !i.drill())
                .map(i -> "; " + i.describe()).orElse("");
        String line = "restored %s: %s is GOOD; %s is REVERTED%s%s%s".formatted(
                leaving.environment(), result.point().label(), leaving.label(), figures,
                revert.dataWarning() == null ? "" : "; WARNING: " + revert.dataWarning(), DataRollback.dumpsOf(current(leaving)));
        timeline.add("revert", line);
        send(GuardEvent.Type.REVERT_RESULT, leaving, line);
        return outcome(GuardOutcome.Result.REVERTED, reverted, line, result);
    }

    /**
     * Takes the target of a revert whose watch failed off the rollback targets, until a person marks it good again:
     * it would be picked again by the next revert. The target is the newest good point before the point reverted
     * that has the revert's artifacts (a revert deploys its target's artifacts).
     */
    private void markFailedTarget(final RollbackPoint revert) {
        EnvironmentName env = revert.environment();
        for (RollbackPoint p : ledger().history(env, 0, Math.min(1000, ledger().size(env)))) {
            if (p.id() < revert.revertOf() && p.status().isRestorable() && p.artifacts().equals(revert.artifacts())) {
                if (p.isRestorable()) {
                    String why = "#%d, the revert to it, failed its watch".formatted(revert.id());
                    ledger().update(env, p.id(), "guard", why + ": no rollback target until marked good",
                            builder -> builder.attribute(RollbackPoint.REVERT_FAILED, why));
                    timeline.add("revert", ("%s is no rollback target any more: %s; if it was not its fault, mark it "
                            + "good: rollback-guard mark --env %s --point %d --good --reason ...").formatted(p.label(),
                            why, env, p.id()));
                }
                return;
            }
        }
    }

    private RollbackPoint markReverted(final RollbackPoint leaving, final RollbackPoint revertPoint) {
        RollbackPoint now = current(leaving);
        String reason = "reverted by " + revertPoint.label();
        if (now.status() == PointStatus.INTERRUPTED) {
            now = ledger().transition(now.environment(), now.id(), PointStatus.BAD, "guard", "interrupted, then reverted");
        }
        return now.status().canMoveTo(PointStatus.REVERTED)
                ? ledger().transition(now.environment(), now.id(), PointStatus.REVERTED, "guard", reason) : now;
    }

    private String restoreData(final RevertPlan.Revert revert) {
        for (BackupRef backup : revert.dataRestore()) {
            try {
                // where and how to restore come from the policy, never from the backup's manifest
                BackupSpec spec = services.backups().policySpecOf(backup.id(), policy.backups()).orElseThrow(() ->
                        new BackupException("the policy names no %s backup of the source backup %s was taken of"
                                .formatted(backup.kind(), backup.id())));
                services.backups().restore(backup.id(), RestoreTarget.original(spec), new BackupContext(services.secrets(),
                        services.runner(), services.scheduler(), services.listener(), "revert-" + revert.leaving().id()));
                timeline.add("revert", "restored %s backup %s taken %s (%s)".formatted(backup.kind(), backup.id(),
                        backup.takenAt(), spec.kind() == io.jenkins.plugins.rollbackguard.engine.backup.BackupKind.FILES
                                ? "the tree it replaced is kept beside it, excluded paths stay in place"
                                : "data written since then is lost"));
            }
            catch (RuntimeException e) {
                return mask("restoring backup %s failed: %s; the code was not rolled back".formatted(backup.id(), e.getMessage()));
            }
        }
        return null;
    }

    /** Stops a revert whose data did not come back: the environment is frozen (a manual rollback had not frozen it). */
    private GuardOutcome frozen(final RollbackPoint leaving, final String reason) {
        ledger().openCircuit(leaving.environment(), mask(reason), "guard", leaving.id());
        return stopped(leaving, reason);
    }

    private GuardOutcome stopped(final RollbackPoint leaving, final String reason) {
        String line = mask(reason);
        timeline.add("revert", line);
        ledger().note(leaving.environment(), leaving.id(), "guard", line);
        send(GuardEvent.Type.MANUAL_DECISION, leaving, line);
        return outcome(GuardOutcome.Result.REVERT_FAILED, current(leaving), line, null);
    }

    /**
     * Opens the circuit with the whole reason (what {@code status} shows); the timeline names only what froze it: the
     * reason is the verdict, on the timeline once already.
     */
    private void freeze(final RollbackPoint bad, final String why, final String frozenBy) {
        String reason = mask(why);
        ledger().openCircuit(bad.environment(), reason, "guard", bad.id());
        timeline.add("freeze", "circuit OPEN for '%s': frozen by %s".formatted(bad.environment(), frozenBy));
        send(GuardEvent.Type.FREEZE, bad, reason);
    }

    /**
     * Keeps the backups of the last keepGood good points and the newest keepBackups; prunes the rest. A point's own
     * files (its deploy output) go with its artifacts, unless they hold the evidence of a trip.
     */
    private void prune(final EnvironmentName env) {
        Set<String> protectedBackups = new HashSet<>();
        Set<String> keepArtifacts = new HashSet<>();
        Set<Long> keepPoints = new HashSet<>();
        int good = 0;
        for (RollbackPoint p : ledger().history(env, 0, Math.min(1000, ledger().size(env)))) {
            boolean keep = p.status().isRestorable() && good < policy.keepGood() || p.status().isInFlight();
            if (p.status().isRestorable()) {
                good++;
            }
            String dumps = p.attributes().get(DataHeadObserver.PRE_RESTORE_DUMPS);
            if (dumps != null) { // the rows written before a data restore: kept as long as the point
                protectedBackups.addAll(List.of(dumps.split(",")));
            }
            if (keep) {
                p.backups().forEach(b -> protectedBackups.add(b.id()));
                p.artifacts().forEach(a -> keepArtifacts.add(a.sha256()));
                keepPoints.add(p.id());
            }
        }
        try {
            services.backups().prune(env.value(), policy.keepBackups(), protectedBackups);
            services.artifacts().prune(keepArtifacts);
            services.artifacts().prunePoints(keepPoints);
        }
        catch (RuntimeException e) {
            timeline.add("retention", mask("pruning failed (nothing lost): " + e.getMessage()));
        }
    }

    /**
     * Sends a notification once per point and type: the machine's state records it before it is sent and again once
     * delivered, so that a resumed machine sends again only what may not have arrived (receivers dedupe by
     * environment, point and type).
     */
    void send(final GuardEvent.Type type, final RollbackPoint point, final String text) {
        if (!journal.noticeStarted(point, type.name())) {
            return;
        }
        notifier.notify(new GuardEvent(type, point.environment().value(), point.id(), mask(text), services.scheduler().now(),
                        incidentOf(ledger(), point), explanationOf(ledger(), point)))
                .whenComplete((sent, failure) -> journal.noticeSent(point, type.name()));
    }

    /** @return the point's verdict explanation as the ledger keeps it now (the point given may predate it), or null */
    static io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation explanationOf(final Ledger ledger,
                                                                                         final RollbackPoint point) {
        return ledger.explanation(point.environment(), point.id()).orElse(null);
    }

    /** @return the figures of the incident a point opened or ended, as the ledger computed them, or null */
    static io.jenkins.plugins.rollbackguard.engine.ledger.Incident.Report incidentOf(final Ledger ledger,
                                                                                    final RollbackPoint point) {
        return ledger.incident(point.environment(), point.id()).filter(i -> !i.drill())
                .map(i -> i.report(point.environment())).orElse(null);
    }

    private String mask(final String text) {
        return services.masker().mask(text);
    }

    private RollbackPoint current(final RollbackPoint point) {
        return ledger().point(point.environment(), point.id());
    }

    private Ledger ledger() {
        return services.ledger();
    }

    private GuardOutcome outcome(final GuardOutcome.Result result, final RollbackPoint point, final String line,
                                 final GuardOutcome revert) {
        return new GuardOutcome(result, point, line, revert, timeline.entries(), null);
    }

    /**
     * Where a trip keeps its side effects: the guard machine writes each to the point's {@link GuardState} before it
     * starts and once it is done; a handler without a machine (a revert started by hand) keeps nothing.
     */
    interface TripJournal {
        /** Keeps nothing: every effect runs as asked. */
        TripJournal NONE = new TripJournal() { };

        /**
         * Returns the change written with the verdict's transition.
         *
         * @param result
         *         the machine's result when the verdict ends it (GOOD, INCONCLUSIVE), or null for a trip
         * @return the change of the point's values
         */
        default java.util.function.UnaryOperator<RollbackPoint.Builder> verdict(final GuardOutcome.Result result) {
            return java.util.function.UnaryOperator.identity();
        }

        /**
         * Records that a notification is about to be sent.
         *
         * @param point
         *         the point concerned
         * @param type
         *         the notification
         * @return whether to send it (false: it was sent before, or a resumed machine re-sends it)
         */
        default boolean noticeStarted(final RollbackPoint point, final String type) {
            return true;
        }

        /** @param point the point @param type the notification delivered or given up */
        default void noticeSent(final RollbackPoint point, final String type) {
        }

        /** @param leaving the bad point @param target the point returned to */
        default void revertStarted(final RollbackPoint leaving, final RollbackPoint target) {
        }

        /** @param leaving the bad point @param result the reverting deploy's result */
        default void revertEnded(final RollbackPoint leaving, final GuardOutcome.Result result) {
        }
    }
}
