package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.CommandBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.FilesBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;

import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * Checks before a deploy. {@link #resolve} builds everything the policy names before anything is recorded: every
 * probe through the host's factory, every program a probe, backup, hook or the data version runs (it exists and is
 * executable; nothing is run), every backup source; then reaches each HTTP and Prometheus probe once. {@link #check},
 * under the lease: the circuit is closed (a revert, or a deploy forced with a reason, may pass an
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

    /**
     * Builds and checks everything the policy names, before the lease and the point: a policy that cannot run as
     * written leaves no trace (not even a lease taken and given back) and never waits for a lease to be refused.
     * A revert only warns: it runs the policy of a point that passed this check when it was deployed, and it must
     * not be stopped by a probe of the service it is there to repair.
     *
     * @param host
     *         builds the probes where they sample
     * @param request
     *         what is deployed
     * @throws PolicyCheckException
     *         naming the field, its value and the fix, when something cannot be built or does not exist
     * @return the probes built, in policy order (null for one that could not be built, on a revert)
     */
    List<Probe> resolve(final GuardMachine.Host host, final DeployRequest request) {
        List<String> problems = new ArrayList<>();
        List<ProbeSpec> specs = policy.probes();
        List<Probe> built = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ProbeSpec spec = specs.get(i);
            String at = "probes[%d]".formatted(i);
            try {
                built.add(host.probe(spec));
            }
            catch (RuntimeException e) {
                built.add(null);
                problems.add("%s (%s): the probe cannot be built: %s".formatted(at, spec.name(), e.getMessage()));
            }
        }
        FileChecks.Result files = host.checkFiles(policy); // where the programs run: here, or the build's agent
        problems.addAll(files.problems());
        if (policy.onBackupFailure() == Policy.OnBackupFailure.WARN) { // the policy deploys without them
            files.backupProblems().forEach(p -> timeline.add("preflight", "WARNING: " + services.masker().mask(p)
                    + " (onBackupFailure: warn: the deploy runs without it)"));
        }
        else {
            problems.addAll(files.backupProblems());
        }
        if (!problems.isEmpty()) {
            String text = problems.get(0) + (problems.size() == 1 ? "" : " (and %d more: %s)".formatted(
                    problems.size() - 1, String.join("; ", problems.subList(1, problems.size()))));
            if (request.isRevert()) {
                timeline.add("preflight", "WARNING: " + services.masker().mask(text));
                return built;
            }
            throw new PolicyCheckException(services.masker().mask(text + "; nothing was recorded or run"));
        }
        timeline.add("preflight", "%d probe(s) built, %d backup(s) and %d hook(s) checked".formatted(specs.size(),
                policy.backups().size(), policy.hooks().beforeRevert().size() + policy.hooks().afterRevert().size()));
        return built;
    }

    /**
     * Reaches each HTTP and Prometheus probe once, all at once: reachability only, not a verdict. Any HTTP answer
     * counts as reached (a 500 is the watch's business); a refused connection, an unknown host or no answer in the
     * probe's timeout does not. Under the lease: a service another guarded deploy is redeploying is not reached
     * while it restarts. A revert never is: it is there to repair the service its probes reach.
     *
     * @param request
     *         what is deployed
     * @param built
     *         the probes {@link #resolve} built
     * @throws GuardRefusedException
     *         naming the probe, its URL and the fix, when one cannot be reached
     */
    void reach(final DeployRequest request, final List<Probe> built) {
        List<ProbeSpec> specs = policy.probes();
        if (request.isRevert()) {
            return;
        }
        if (!policy.reachesProbes()) {
            timeline.add("preflight", "probes not reached (preflight: reach: false)");
            return;
        }
        List<CompletableFuture<Measurement>> samples = new ArrayList<>();
        int reached = 0;
        for (int i = 0; i < specs.size(); i++) {
            boolean remote = specs.get(i) instanceof HttpProbeSpec || specs.get(i) instanceof PrometheusProbeSpec;
            samples.add(remote && built.get(i) != null ? built.get(i).sampleAsync(services.executor()) : null);
        }
        for (int i = 0; i < specs.size(); i++) {
            if (samples.get(i) == null) {
                continue;
            }
            ProbeSpec spec = specs.get(i);
            Measurement answer;
            try {
                answer = samples.get(i).join(); // bounded by the probe's own timeout
            }
            catch (RuntimeException e) {
                answer = Measurement.withoutValue(services.scheduler().now(), Outcome.FAILURE, e.getMessage());
            }
            if (!reached(spec, answer)) {
                throw new GuardRefusedException(services.masker().mask(("probes[%d] (%s): %s cannot be reached (%s); "
                        + "nothing was recorded or run. Check the URL; if the service is down and this deploy is its "
                        + "fix, deploy without this check: rollback-guard deploy --no-reach, or preflight: {reach: false} "
                        + "in the policy").formatted(i, spec.name(), shorten(url(spec)), answer.detail())));
            }
            reached++;
        }
        if (reached > 0) {
            timeline.add("preflight", "%d probe(s) reached once (reachability only, not a verdict)".formatted(reached));
        }
    }

    /**
     * Tells an answer from no answer. An HTTP probe reports a response with its latency or its number (a value), or
     * an unreadable body (ERROR); only a request that got no response is a FAILURE without a value. A Prometheus
     * probe reports a request that got no response as "query failed".
     */
    static boolean reached(final ProbeSpec spec, final Measurement answer) {
        if (spec instanceof PrometheusProbeSpec) {
            return answer.detail() == null || !answer.detail().startsWith("query failed");
        }
        return answer.optionalValue().isPresent() || answer.outcome() != Outcome.FAILURE;
    }

    private static String url(final ProbeSpec spec) {
        return spec instanceof HttpProbeSpec http ? http.url() : ((PrometheusProbeSpec) spec).url();
    }

    /** Keeps a value short in a message: the first 60 characters and the length of one over 80. */
    static String shorten(final String value) {
        return value == null || value.length() <= 80 ? value
                : value.substring(0, 60) + "... (%d characters)".formatted(value.length());
    }

    /**
     * The checks under the lease (or, for a dry run, without it).
     *
     * @param request
     *         what is deployed
     * @param record
     *         whether a deploy forced past an open circuit notes it in the ledger (false for a dry run, which
     *         records nothing)
     */
    void check(final DeployRequest request, final boolean record) {
        EnvironmentName env = policy.environment();
        Ledger ledger = services.ledger();
        boolean known = ledger.environments().contains(env);
        Circuit circuit = known ? ledger.circuit(env) : Circuit.initial();
        if (circuit.isOpen()) {
            if (request.isRevert()) {
                // the reason was on the timeline when the circuit opened: say where it comes from, not why again
                timeline.add("preflight", "circuit OPEN since %s by %s%s; a revert may pass".formatted(circuit.since(),
                        circuit.by(), circuit.pointId() > 0 ? " (point #" + circuit.pointId() + ")" : ""));
            }
            else if (request.forceReason() != null && !request.forceReason().isBlank()) {
                timeline.add("preflight", ("circuit OPEN, forced by %s: %s; this deploy passes the freeze, the circuit "
                        + "stays OPEN (reset it when it is safe)").formatted(request.actor(), request.forceReason()));
                if (record) {
                    ledger.note(env, 0, request.actor(), services.masker().mask("deploy forced past the open circuit: " + request.forceReason()));
                }
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
        if (!request.isRevert()) {
            refuseInterrupted(ledger, env, request, record);
        }
        reportInterrupted(ledger, env);
        if (!request.isRevert()) {
            checkLastGood(ledger, env, circuit);
        }
    }

    /**
     * Refuses a deploy while the environment's newest deploy is INTERRUPTED with its guard unfinished (its host died
     * while it deployed or watched): what runs is not verified and nobody watches it. A person resumes its watch,
     * marks it, or forces the deploy with a reason.
     */
    private void refuseInterrupted(final Ledger ledger, final EnvironmentName env, final DeployRequest request,
                                   final boolean record) {
        // a guard that died while it prepared never started the deploy command: what runs is the last verified
        // version, so nothing waits for a decision (the warning below still names the point)
        Optional<RollbackPoint> found = new Decisions(ledger, services.scheduler()::now).interrupted(env)
                .filter(point -> point.status() == PointStatus.INTERRUPTED)
                .filter(point -> GuardState.of(point).phase() != GuardState.Phase.PREPARING);
        if (found.isEmpty()) {
            return;
        }
        RollbackPoint point = found.get();
        GuardState state = GuardState.of(point);
        String what = "%s was INTERRUPTED while %s (its guard died: %s)".formatted(point.label(),
                state.phase().name().toLowerCase(java.util.Locale.ROOT), point.verdict() == null ? "no verdict"
                        : point.verdict());
        if (request.forceReason() != null && !request.forceReason().isBlank()) {
            String line = services.masker().mask("deploy forced past %s by %s: %s; %s stays INTERRUPTED".formatted(
                    point.label(), request.actor(), request.forceReason(), point.label()));
            timeline.add("preflight", line);
            if (record) {
                ledger.note(env, point.id(), request.actor(), line);
            }
            return;
        }
        throw new GuardRefusedException(services.masker().mask(("environment '%s' waits for a decision: %s, and what "
                + "runs is not verified. Resume its watch (rollback-guard resume --env %s --reason ...), mark it "
                + "(rollback-guard mark --env %s --point %d --good|--bad --reason ...), or deploy anyway with "
                + "--force REASON").formatted(env, what, env, env, point.id())));
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

    private void checkLastGood(final Ledger ledger, final EnvironmentName env, final Circuit circuit) {
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
                timeline.add("preflight", "%s; last good point %s is restorable".formatted(circuit.isOpen()
                        ? "circuit OPEN (passed by force; it stays OPEN until reset)" : "circuit CLOSED", good.label()));
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
