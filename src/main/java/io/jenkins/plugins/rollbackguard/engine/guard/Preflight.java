package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.Optional;

import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * Checks before a deploy: the circuit is closed (a revert, or a deploy forced with a reason, may pass an
 * open one); an interrupted previous deploy is reported; a restorable last good point exists (its
 * artifacts present, its backups verified), else a warning or a refusal by policy.
 */
final class Preflight {
    private final GuardServices services;
    private final Policy policy;
    private final Timeline timeline;

    Preflight(final GuardServices services, final Policy policy, final Timeline timeline) {
        this.services = services;
        this.policy = policy;
        this.timeline = timeline;
    }

    void check(final DeployRequest request) {
        EnvironmentName env = policy.environment();
        Ledger ledger = services.ledger();
        boolean known = ledger.environments().contains(env);
        Circuit circuit = known ? ledger.circuit(env) : Circuit.initial();
        if (circuit.isOpen()) {
            if (request.isRevert()) {
                timeline.add("preflight", "circuit OPEN (%s); a revert may pass".formatted(circuit.reason()));
            }
            else if (request.forceReason() != null && !request.forceReason().isBlank()) {
                timeline.add("preflight", "circuit OPEN, forced by %s: %s".formatted(request.actor(), request.forceReason()));
                ledger.note(env, 0, request.actor(), services.masker().mask("deploy forced past the open circuit: " + request.forceReason()));
            }
            else {
                throw new GuardRefusedException(("environment '%s' is frozen: circuit OPEN since %s by %s: %s. "
                        + "Reset it with a reason (rollback-guard reset --env %s --reason ...) or force the deploy with a reason")
                        .formatted(env, circuit.since(), circuit.by(), circuit.reason(), env));
            }
        }
        if (!known) {
            timeline.add("preflight", "first deploy to '%s': there is no point to return to yet (record what runs with 'adopt')".formatted(env));
            requireLastGood("no good point yet");
            return;
        }
        reportInterrupted(ledger, env);
        if (!request.isRevert()) {
            checkLastGood(ledger, env);
        }
    }

    private void reportInterrupted(final Ledger ledger, final EnvironmentName env) {
        for (RollbackPoint point : ledger.history(env, 0, 5)) {
            if (point.status() == PointStatus.INTERRUPTED) {
                timeline.add("preflight", ("WARNING: the previous deploy %s was INTERRUPTED (its watcher died after %s): "
                        + "the environment may run it unverified").formatted(point.label(),
                        point.deployedAt() == null ? "recording" : "deploying at " + point.deployedAt()));
                return;
            }
            if (!point.status().isInFlight()) {
                return;
            }
        }
    }

    private void checkLastGood(final Ledger ledger, final EnvironmentName env) {
        Optional<RollbackPoint> lastGood = ledger.lastGood(env);
        if (lastGood.isEmpty()) {
            requireLastGood("no good point to return to");
            return;
        }
        RollbackPoint good = lastGood.get();
        boolean artifacts = good.artifacts().stream().allMatch(services.artifacts()::contains);
        boolean verified = good.backups().stream().allMatch(b -> b.verifiedAt() != null);
        if (!artifacts) {
            requireLastGood("the last good point %s has lost its artifacts".formatted(good.label()));
        }
        else if (!verified) {
            requireLastGood("the last good point %s has unverified backups".formatted(good.label()));
        }
        else {
            Optional<String> unsealed = unsealedProblem(good, env);
            if (unsealed.isPresent()) {
                requireLastGood(unsealed.get());
            }
            else {
                timeline.add("preflight", "circuit CLOSED; last good point %s is restorable".formatted(good.label()));
            }
        }
    }

    /** Why a restore would refuse a backup of the point (no seal, changed since, unreadable store), if it would. */
    private Optional<String> unsealedProblem(final RollbackPoint point, final EnvironmentName env) {
        Optional<String> problem = Optional.empty();
        for (BackupRef backup : point.backups()) {
            String id = backup.id();
            try {
                if (services.backups().find(id).isPresent() && !services.backups().isAuthentic(id)) {
                    problem = Optional.of(("the last good point %s needs backup %s, which has no seal of this store and "
                            + "would be refused by a restore: check it and run 'rollback-guard backup trust --env %s "
                            + "--backup %s'").formatted(point.label(), id, env, id));
                    break;
                }
            }
            catch (RuntimeException e) { // an unreadable store is a warning (or a refusal by policy), not a crash
                problem = Optional.of("the seal of backup %s of the last good point %s cannot be checked: %s"
                        .formatted(id, point.label(), e.getMessage()));
                break;
            }
        }
        return problem;
    }

    private void requireLastGood(final String problem) {
        if (policy.lastGoodCheck() == Policy.LastGoodCheck.REFUSE) {
            throw new GuardRefusedException("environment '%s': %s, and the policy refuses to deploy without one (lastGoodCheck: refuse)"
                    .formatted(policy.environment(), problem));
        }
        timeline.add("preflight", "WARNING: " + problem);
    }
}
