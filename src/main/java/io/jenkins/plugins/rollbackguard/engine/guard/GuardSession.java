package io.jenkins.plugins.rollbackguard.engine.guard;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Analysis;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Metric;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;
import io.jenkins.plugins.rollbackguard.engine.health.Watch;
import io.jenkins.plugins.rollbackguard.engine.health.WatchResult;
import io.jenkins.plugins.rollbackguard.engine.health.probe.ProbeFactory;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;
import io.jenkins.plugins.rollbackguard.engine.spi.CommandResult;
import io.jenkins.plugins.rollbackguard.engine.spi.ResolvedSecrets;

/**
 * One guarded deploy, run to its end on the caller's thread: preflight, record, baseline, backups,
 * deploy, watch, verdict, and on a trip the revert (see {@link TripHandler}). Every phase is a ledger
 * event and a timeline line. Hosts that cannot block (the Jenkins step) drive the same {@link GuardMachine}
 * asynchronously ({@link BodyDriver}).
 *
 * <p>The session works with {@linkplain GuardServices#masking() masking services}: preflight resolves every secret
 * the policy names, and from then on every line printed, every text recorded in the ledger or sent to a webhook, and
 * the output of every probe, backup, hook and deploy command is masked with all of them (and their encoded forms).
 */
public final class GuardSession {
    /** Point attribute: the policy of the deploy, as JSON, so that a later revert knows its hooks and probes. */
    public static final String POLICY = "policy";
    /** Point attribute prefix: the baseline median of a probe, reused when the deploy is reverted. */
    public static final String BASELINE = "baseline.";
    /** Point attribute prefix: a probe's verdict with its last measurement, shown on the build page. */
    public static final String MEASUREMENT = "measurement.";
    /**
     * Point attribute prefix: how many samples a probe's baseline is the median of (for its verdict's explanation); a
     * point recorded before it has only the median.
     */
    public static final String BASELINE_SAMPLES = "baselineSamples.";
    /**
     * Point attribute prefix: a probe's baseline samples as they came (time, value, outcome), written with its baseline:
     * the ledger shows when each was taken.
     */
    public static final String BASELINE_SAMPLED = "baselineSampled.";

    private final GuardServices services;
    private final Policy policy;
    private final Timeline timeline;
    private final Notifier notifier;
    private final ProbeFactory probes;
    private volatile DataHeadObserver dataHeads;
    private final List<java.util.concurrent.CompletableFuture<Void>> pending =
            java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * Creates a session.
     *
     * @param services
     *         the host's services
     * @param policy
     *         the policy
     * @param timeline
     *         where progress goes (shared with a nested revert)
     */
    public GuardSession(final GuardServices services, final Policy policy, final Timeline timeline) {
        this.services = services.masking();
        this.policy = policy;
        this.timeline = timeline;
        timeline.maskWith(this.services::masker);
        WebhookNotifier webhooks = new WebhookNotifier(policy.notifications(), this.services.secrets(),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), this.services.scheduler(),
                this.services.listener());
        this.notifier = event -> {
            java.util.concurrent.CompletableFuture<Void> sent = webhooks.notify(event)
                    .thenCompose(v -> services.notifier().notify(event));
            pending.add(sent);
            return sent;
        };
        this.probes = new ProbeFactory(this.services.secrets(), this.services.runner(), this.services.executor(),
                this.services.scheduler());
    }

    /**
     * Returns the services this session works with: the host's, with a source that remembers every secret the run
     * resolves and a runner and listener that mask them. A host runs its own deploy command with these.
     *
     * @return the masking services
     */
    public GuardServices services() {
        return services;
    }

    /**
     * Runs a guarded deploy.
     *
     * @param request
     *         what is deployed
     * @param deployer
     *         performs the deploy
     * @param reverter
     *         performs a revert if the deploy trips
     * @param lockHeld
     *         whether the caller already holds the environment's lease (a nested revert)
     * @return the outcome
     * @throws GuardRefusedException
     *         if preflight refuses (frozen, busy, nothing to return to and the policy requires it)
     */
    public GuardOutcome run(final DeployRequest request, final Deployer deployer, final Reverter reverter,
                            final boolean lockHeld) {
        return run(request, deployer, reverter, lockHeld, machine -> { });
    }

    /**
     * Runs a guarded deploy, handing its machine to the caller before it starts: a host that can be stopped from
     * another thread (a signal handler, a test) keeps it to call {@link GuardMachine#interrupt} on.
     *
     * @param request
     *         what is deployed
     * @param deployer
     *         performs the deploy
     * @param reverter
     *         performs a revert if the deploy trips
     * @param lockHeld
     *         whether the caller already holds the environment's lease (a nested revert)
     * @param onStart
     *         told of the machine before it starts; must not block
     * @return the outcome
     * @throws GuardRefusedException
     *         if preflight refuses (frozen, busy, nothing to return to and the policy requires it)
     */
    public GuardOutcome run(final DeployRequest request, final Deployer deployer, final Reverter reverter,
                            final boolean lockHeld, final java.util.function.Consumer<GuardMachine> onStart) {
        CallerLoop loop = new CallerLoop();
        GuardMachine machine = machine(localHost(reverter, loop));
        onStart.accept(machine);
        return drive(machine, loop, loop.await(machine.start(request, lockHeld)), deployer);
    }

    /**
     * Resumes, blocking, the guarded deploy of a point whose host stopped: the machine goes on from the state the
     * ledger keeps. A deploy command that was started cannot be re-attached to: it is in doubt.
     *
     * @param environment
     *         the environment
     * @param pointId
     *         the point
     * @param deployer
     *         performs the deploy when the point had not started it
     * @param reverter
     *         performs a revert if the deploy trips
     * @param lockHeld
     *         whether the caller already holds the environment's lease (a nested revert)
     * @return the outcome
     */
    public GuardOutcome resume(final EnvironmentName environment, final long pointId, final Deployer deployer,
                               final Reverter reverter, final boolean lockHeld) {
        return resume(environment, pointId, deployer, reverter, lockHeld, machine -> { });
    }

    /**
     * Resumes, blocking, the guarded deploy of a point whose host stopped, handing its machine to the caller first
     * (a host that can be stopped from another thread, the CLI's signal handler, keeps it).
     *
     * @param environment
     *         the environment
     * @param pointId
     *         the point
     * @param deployer
     *         performs the deploy when the point had not started it
     * @param reverter
     *         performs a revert if the deploy trips
     * @param lockHeld
     *         whether the caller already holds the environment's lease (a nested revert)
     * @param onStart
     *         told of the machine before it resumes; must not block
     * @return the outcome
     */
    public GuardOutcome resume(final EnvironmentName environment, final long pointId, final Deployer deployer,
                               final Reverter reverter, final boolean lockHeld,
                               final java.util.function.Consumer<GuardMachine> onStart) {
        CallerLoop loop = new CallerLoop();
        GuardMachine machine = machine(localHost(reverter, loop));
        onStart.accept(machine);
        return drive(machine, loop, loop.await(machine.resume(environment, pointId, lockHeld)), deployer);
    }

    /** The blocking driver: runs the deploy on this thread when the machine asks, and waits for the outcome. */
    private static GuardOutcome drive(final GuardMachine machine, final CallerLoop loop, final GuardMachine.Step first,
                                      final Deployer deployer) {
        GuardMachine.Step step = first;
        while (!(step instanceof GuardMachine.Done)) {
            RollbackPoint point = step instanceof GuardMachine.Deploy deploy ? deploy.point()
                    : ((GuardMachine.AwaitDeploy) step).point();
            GuardMachine.DeployEnd end;
            Interruption before = machine.stopCause();
            if (before != null) { // stopped as the deploy was due: the point is aborted or frozen, never deployed now
                step = loop.await(machine.deployEnded(point, new GuardMachine.Interrupted(before, null)));
                continue;
            }
            try {
                // a stop interrupts this thread while (and only while) the deploy command runs, never in a ledger write
                String failure = machine.runningProcess(false, () -> deployer.deploy(point));
                Interruption stop = machine.stopCause();
                end = stop != null ? new GuardMachine.Interrupted(stop, null)
                        : failure == null ? new GuardMachine.Finished() : new GuardMachine.Failed(failure);
            }
            catch (DeployNotStartedException e) { // nothing ran: the machine aborts the point
                Interruption stop = machine.stopCause();
                end = stop != null ? new GuardMachine.Interrupted(stop, null)
                        : new GuardMachine.NeverStarted(String.valueOf(e.getMessage()));
            }
            catch (RuntimeException e) {
                Interruption stop = machine.stopCause();
                end = stop != null ? new GuardMachine.Interrupted(stop, null)
                        : new GuardMachine.Failed(String.valueOf(e.getMessage()));
            }
            step = loop.await(machine.deployEnded(point, end));
        }
        return ((GuardMachine.Done) step).outcome();
    }

    /**
     * Builds a machine for this session's policy, driven by a host.
     *
     * @param host
     *         what the host does for it
     * @return the machine, not started
     */
    public GuardMachine machine(final GuardMachine.Host host) {
        return new GuardMachine(this, host);
    }

    /**
     * The host of a machine in this process: probes, backups and commands here, blocking work on an executor.
     *
     * @param reverter
     *         carries out a revert
     * @param work
     *         where blocking work runs (a {@link CallerLoop}, or a pool apart from the sample pool)
     * @return the host
     */
    public GuardMachine.Host localHost(final Reverter reverter, final java.util.concurrent.Executor work) {
        return new GuardMachine.Host() {
            @Override
            public Probe probe(final ProbeSpec spec) {
                return probes.create(spec);
            }

            @Override
            public BackupManifest takeBackup(final BackupSpec spec, final String key) {
                return services.backups().take(policy.environment().value(), spec, new BackupContext(services.secrets(),
                        services.runner(), services.scheduler(), services.listener(), key));
            }

            @Override
            public Optional<BackupManifest> findBackup(final BackupSpec spec, final String key) {
                return services.backups().list(policy.environment().value()).stream()
                        .filter(manifest -> key.equals(manifest.label())).findFirst();
            }

            @Override
            public Reverter reverter() {
                return reverter;
            }

            @Override
            public java.util.concurrent.Executor work() {
                return work;
            }

            @Override
            public boolean deployResumes() {
                return false;
            }
        };
    }

    Policy policy() {
        return policy;
    }

    Timeline timeline() {
        return timeline;
    }

    Notifier notifier() {
        return notifier;
    }

    /*
     * What the machine asks of its session (and the blocking baseline sampling that tests and tools call). Hosts
     * drive the machine, never these steps one by one: the CLI through run(), the freestyle pair on its build
     * thread, the Pipeline step through BodyDriver.
     */

    /**
     * Resolves every secret the policy names, before anything is recorded: a missing one stops the deploy here, and
     * the run's masker knows every value before a probe, backup, hook or deploy command prints anything.
     */
    void resolveSecrets() {
        List<String> fields = PolicySecrets.require(policy, services.secrets());
        if (!fields.isEmpty()) {
            timeline.add("preflight", ("%d secret(s) resolved (%s); their values, and their base64, URL and JSON "
                    + "forms, are masked in all output").formatted(fields.size(), String.join(", ", fields)));
        }
    }

    /**
     * Phase 2a, blocking: baselines for relative thresholds, sampled by this session's own probes (a revert reuses
     * those of the deploy it reverts). The calling thread waits for samples that the scheduler fires and the sample
     * executor runs: never call it on a thread of the sample executor (a host's sample pool, or the pool its timer
     * hands fired tasks to), where those samples may be queued behind the caller. Hosts that cannot block, or whose
     * probes sample elsewhere (an agent), use {@link #sampleBaselines(DeployRequest, java.util.function.Function)}.
     *
     * @param request
     *         what is deployed
     * @return the baselines by probe name
     */
    public Map<String, Baseline> sampleBaselines(final DeployRequest request) {
        return sampleBaselines(request, probes::create).join();
    }

    /**
     * Phase 2a, without a thread waiting: baselines for relative thresholds, sampled through the given probes (the
     * host's, so that a baseline reaches the endpoint where the watch reaches it); a revert reuses those of the
     * deploy it reverts. The probes of all specs sample at once.
     *
     * @param request
     *         what is deployed
     * @param probeFor
     *         builds the probe of a spec, as the watch's are built
     * @return completes with the baselines by probe name
     */
    public java.util.concurrent.CompletableFuture<Map<String, Baseline>> sampleBaselines(
            final DeployRequest request, final java.util.function.Function<ProbeSpec, Probe> probeFor) {
        RollbackPoint reverted = request.isRevert() ? ledger().point(policy.environment(), request.revertOf()) : null;
        return baselines(reverted, Map.of(), probeFor, new java.util.concurrent.CompletableFuture<>());
    }

    /**
     * Phase 2b: keeps the baselines on the point, so that its revert can reuse them.
     *
     * @param point
     *         the point
     * @param baselines
     *         the baselines
     * @return the updated point
     */
    public RollbackPoint rememberBaselines(final RollbackPoint point, final Map<String, Baseline> baselines) {
        return remember(point, baselines, Map.of());
    }

    /**
     * Keeps the baselines on the point with the samples they are the median of, each with the time it was taken
     * ({@link #baselineSamplesOf}), in one write.
     *
     * @param point
     *         the point
     * @param baselines
     *         the baselines by probe name
     * @param samples
     *         their samples by probe name
     * @return the point
     */
    RollbackPoint rememberBaselines(final RollbackPoint point, final Map<String, Baseline> baselines,
                                    final Map<String, List<Measurement>> samples) {
        return remember(point, baselines, samples);
    }

    /** Takes one backup where the host can: in this process, or on an agent. */
    @FunctionalInterface
    public interface BackupTaker {
        /**
         * Takes a backup.
         *
         * @param spec
         *         what to back up
         * @param label
         *         the label to give it (the point)
         * @return the committed, verified manifest
         * @throws RuntimeException
         *         if the backup failed (the message says why, masked)
         */
        BackupManifest take(BackupSpec spec, String label);
    }

    /** @return phase 5: what turns the watch's verdict into ledger state and a revert */
    public TripHandler trips() {
        return new TripHandler(services, policy, timeline, notifier);
    }

    /**
     * Waits until the notifications sent so far were delivered or given up, so that a short-lived host
     * (the CLI) does not exit with a trip untold.
     *
     * @param timeout
     *         the longest wait
     * @return whether all finished in time
     */
    public boolean awaitNotifications(final Duration timeout) {
        java.util.concurrent.CompletableFuture<?>[] all;
        synchronized (pending) {
            all = pending.toArray(java.util.concurrent.CompletableFuture[]::new);
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(all).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        }
        catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return the probe factory of this session (the freestyle host builds its controller probes with it) */
    public ProbeFactory probes() {
        return probes;
    }

    private Ledger ledger() {
        return services.ledger();
    }

    /** Records the point of a request, with the machine's first state in the same write. */
    RollbackPoint record(final DeployRequest request, final GuardState state) {
        RollbackPoint.Builder draft = RollbackPoint.builder(policy.environment(), request.source())
                .artifacts(request.artifacts()).gitCommit(request.gitCommit()).revertOf(request.revertOf())
                .attribute(RollbackPlanner.TRIGGER, request.trigger()).attribute(POLICY, policyJson());
        Optional<io.jenkins.plugins.rollbackguard.engine.ledger.SeenHead> head = data().tracks()
                ? data().read("before-deploy", !request.isRevert()) : Optional.empty();
        draft.dataVersion(request.dataVersion() != null ? request.dataVersion()
                : head.isPresent() ? null : data().tracks() ? null : dataVersion());
        head.ifPresent(seen -> data().apply(draft, seen)); // what the database holds: a revert's too
        SecretParameters.mask(policy, request.parameters(), (ResolvedSecrets) services.secrets(),
                line -> timeline.add("record", line)).forEach(draft::parameter);
        request.attributes().forEach(draft::attribute);
        if (state != null) {
            state.applyTo(draft);
        }
        RollbackPoint point = ledger().record(draft, request.actor(),
                request.isRevert() ? "revert of #" + request.revertOf() : "guarded deploy");
        timeline.add("record", "recorded %s%s%s".formatted(point.label(),
                point.dataVersion() == null ? "" : ", data version " + point.dataVersion(),
                point.artifacts().isEmpty() ? "" : ", artifact " + point.artifacts().get(0).name()
                        + " sha256 " + point.artifacts().get(0).sha256().substring(0, 12)));
        return point;
    }

    /**
     * @return the data version as a deploy recorded now would record it (runs the policy's command, if any), or null
     *         when the policy tracks none
     */
    public String dataVersion() {
        DataVersionSpec spec = policy.dataTracking();
        if (spec == null) {
            return null;
        }
        if (spec.readsDatabase()) {
            return dataHead().map(data()::versionOf).orElse(null);
        }
        if (spec.value() != null) {
            return spec.value();
        }
        CommandResult result = services.runner().run(new CommandRequest(spec.command(), Map.of(), Map.of(), null,
                Duration.ofMinutes(2), null, 4096));
        if (!result.succeeded()) {
            throw new GuardException("dataVersion.command %s failed: %s".formatted(spec.command(), result.summary()));
        }
        return result.stdout().strip();
    }

    /**
     * Reads the data head now, as a deploy recorded now would see it before its deploy command.
     *
     * @return the head, or empty when the policy reads none from a database (or, without a dataVersion field, the read
     *         failed: said on the timeline)
     * @throws GuardRefusedException
     *         when the policy's dataVersion asks for the database and its head cannot be read
     */
    public Optional<io.jenkins.plugins.rollbackguard.engine.ledger.SeenHead> dataHead() {
        return data().read("before-deploy", true);
    }

    /**
     * Reads the data head now and keeps it on a point (a rollback asked by a person reads it before it is planned: the
     * application may have migrated since the watch).
     *
     * @param point
     *         the point that runs now
     * @param phase
     *         when, for the ledger ({@code rollback})
     * @return the point, with the head when one was read
     */
    public RollbackPoint observeDataHead(final RollbackPoint point, final String phase) {
        return data().observe(point, phase);
    }

    /** @return what reads and keeps this session's data heads (one per session: a failed implicit read is said once) */
    DataHeadObserver data() {
        DataHeadObserver observer = dataHeads;
        if (observer == null) {
            observer = new DataHeadObserver(services, policy, timeline);
            dataHeads = observer;
        }
        return observer;
    }

    private String policyJson() {
        try {
            return new PolicyReader().mapper().copy().writeValueAsString(policy);
        }
        catch (JsonProcessingException e) {
            throw new GuardException("cannot keep the policy on the point: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Samples, asynchronously, the baseline of every probe whose thresholds need one, except those known already
     * (kept on a resumed point) and those a revert reuses from the deploy it reverts. Once {@code stop} completes
     * no more samples are taken and the result fails at once (cancelled).
     */
    java.util.concurrent.CompletableFuture<Map<String, Baseline>> baselines(final RollbackPoint reverted,
            final Map<String, Baseline> known, final java.util.function.Function<ProbeSpec, Probe> probeFor,
            final java.util.concurrent.CompletableFuture<?> stop) {
        return baselines(reverted, known, Map.of(), probeFor, stop, (spec, samples) -> { });
    }

    /**
     * Samples the baselines as {@link #baselines(RollbackPoint, Map, java.util.function.Function,
     * java.util.concurrent.CompletableFuture)} does, all probes at the same time (each at its own interval), going on
     * from the samples taken before a restart, with a progress line for each sample
     * ({@code checkout-p95 3/10: 212 ms}) and each probe's samples so far told to {@code recorder} after each sample
     * (the machine keeps them on the point with the baselines).
     *
     * @param before
     *         samples taken before, by probe name
     * @param recorder
     *         told of a probe's samples so far after each sample, on the sample's thread: it must not block
     */
    java.util.concurrent.CompletableFuture<Map<String, Baseline>> baselines(final RollbackPoint reverted,
            final Map<String, Baseline> known, final Map<String, List<Measurement>> before,
            final java.util.function.Function<ProbeSpec, Probe> probeFor,
            final java.util.concurrent.CompletableFuture<?> stop,
            final java.util.function.BiConsumer<ProbeSpec, List<Measurement>> recorder) {
        Map<String, java.util.concurrent.CompletableFuture<Baseline>> sampling = new LinkedHashMap<>();
        for (ProbeSpec spec : policy.probes()) {
            if (!spec.needsBaseline()) {
                continue;
            }
            if (known.containsKey(spec.name())) {
                sampling.put(spec.name(), java.util.concurrent.CompletableFuture.completedFuture(known.get(spec.name())));
            }
            else if (reverted != null && reverted.attributes().containsKey(BASELINE + spec.name())) {
                sampling.put(spec.name(), java.util.concurrent.CompletableFuture.completedFuture(
                        baselinesOf(reverted).get(spec.name())));
            }
            else {
                Metric metric = Metric.of(spec);
                Probe probe = probeFor.apply(spec);
                java.util.Optional<java.util.concurrent.CompletableFuture<Baseline>> history = spec.analysis()
                        .baselineWindowDuration().flatMap(window -> Baseline.history(probe, window,
                                services.scheduler().now(), before.getOrDefault(spec.name(), List.of()), samples -> {
                                    timeline.stream("baseline", "%s: the counters %s before the deploy and at it: %s"
                                            .formatted(spec.name(), spec.analysis().baselineWindow(), samples.stream()
                                                    .map(m -> m.outcome() + (m.detail().isEmpty() ? ""
                                                            : " (" + m.detail() + ")")).toList()));
                                    recorder.accept(spec, samples);
                                }));
                if (history.isPresent()) {
                    sampling.put(spec.name(), history.get().thenApply(baseline -> {
                        timeline.add("baseline", "%s: read from the last %s of history".formatted(spec.name(),
                                spec.analysis().baselineWindow()));
                        return baseline;
                    }));
                    continue;
                }
                int count = spec.analysis().baselineSamples();
                java.util.concurrent.CompletableFuture<Baseline> sampled = Baseline.sample(probe, count,
                        spec.analysis().intervalDuration(), services.scheduler(), services.executor(),
                        before.getOrDefault(spec.name(), List.of()), samples -> {
                            Measurement last = samples.get(samples.size() - 1);
                            timeline.stream("baseline", "%s %d/%d: %s".formatted(spec.name(), samples.size(), count,
                                    last.outcome() == io.jenkins.plugins.rollbackguard.engine.health.Outcome.SUCCESS
                                            && last.optionalValue().isPresent() ? metric.format(last.value())
                                            : last.outcome() + (last.detail().isEmpty() ? "" : " (" + last.detail() + ")")));
                            recorder.accept(spec, samples);
                        });
                stop.thenRun(() -> sampled.cancel(false)); // a stop takes no more samples and waits for none
                sampling.put(spec.name(), sampled
                        .thenApply(baseline -> {
                            timeline.add("baseline", "%s: %s".formatted(spec.name(), baseline.value().isPresent()
                                    ? "median %s of %d samples".formatted(metric.format(baseline.median()),
                                    baseline.samples())
                                    : "none (" + baseline.reason() + ")"));
                            return baseline;
                        }));
            }
        }
        return java.util.concurrent.CompletableFuture.allOf(sampling.values()
                .toArray(java.util.concurrent.CompletableFuture[]::new)).thenApply(v -> {
                    Map<String, Baseline> all = new LinkedHashMap<>();
                    sampling.forEach((name, future) -> all.put(name, future.join())); // all complete here: no wait
                    return all;
                });
    }

    /**
     * Writes a probe's baseline samples so far as one point attribute: {@code epochMillis value outcome} each, the
     * value {@code -} when the sample had none, separated by {@code ;}.
     *
     * @param samples
     *         the samples
     * @return the attribute's value
     */
    static String writeSamples(final List<Measurement> samples) {
        StringBuilder text = new StringBuilder();
        for (Measurement m : samples) {
            text.append(text.length() == 0 ? "" : ";").append(m.at().toEpochMilli()).append(' ')
                    .append(m.optionalValue().isPresent() ? Double.toString(m.value()) : "-").append(' ')
                    .append(m.outcome());
            if (m.hasCounts()) { // a rate probe's counts, for its sequential judge: "events/trials"
                text.append(' ').append(m.events()).append('/').append(m.trials());
            }
        }
        return text.toString();
    }

    /**
     * Reads the baseline samples a point keeps of each probe (taken before its deploy, each as it came).
     *
     * @param point
     *         the point
     * @return the samples by probe name, in the order taken; empty for a point recorded before they were kept
     */
    public static Map<String, List<Measurement>> baselineSamplesOf(final RollbackPoint point) {
        Map<String, List<Measurement>> all = new LinkedHashMap<>();
        point.attributes().forEach((key, value) -> {
            if (key.startsWith(BASELINE_SAMPLED) && !value.isEmpty()) {
                List<Measurement> samples = new ArrayList<>();
                for (String entry : value.split(";")) {
                    String[] parts = entry.split(" ");
                    java.time.Instant at = java.time.Instant.ofEpochMilli(Long.parseLong(parts[0]));
                    io.jenkins.plugins.rollbackguard.engine.health.Outcome outcome =
                            io.jenkins.plugins.rollbackguard.engine.health.Outcome.valueOf(parts[2]);
                    double sampled = "-".equals(parts[1]) ? Double.NaN : Double.parseDouble(parts[1]);
                    String[] counts = parts.length > 3 ? parts[3].split("/") : null; // written since issue 18
                    samples.add(new Measurement(at, sampled, outcome, "kept in the ledger",
                            counts == null ? null : Double.valueOf(counts[0]),
                            counts == null ? null : Double.valueOf(counts[1])));
                }
                all.put(key.substring(BASELINE_SAMPLED.length()), samples);
            }
        });
        return all;
    }

    private RollbackPoint remember(final RollbackPoint point, final Map<String, Baseline> baselines,
                                   final Map<String, List<Measurement>> samples) {
        // a revert keeps the baselines it reused too: its watch (resumed or not) reads them from its own point
        if (baselines.isEmpty()) {
            return point;
        }
        return ledger().update(point.environment(), point.id(), "guard", "baselines sampled", builder -> {
            baselines.forEach((probe, b) -> {
                builder.attribute(BASELINE + probe, b.value().isPresent() ? Double.toString(b.median()) : "none");
                if (b.value().isPresent()) {
                    builder.attribute(BASELINE_SAMPLES + probe, Integer.toString(b.samples()));
                }
                // the samples as they came; a revert keeps those of the baseline it reused, for its judges
                List<Measurement> kept = samples.containsKey(probe) ? samples.get(probe) : b.sampled();
                if (!kept.isEmpty()) {
                    builder.attribute(BASELINE_SAMPLED + probe, writeSamples(kept));
                }
            });
            return builder;
        });
    }

    /**
     * Reads the baselines a point keeps (sampled before its deploy).
     *
     * @param point
     *         the point
     * @return the baselines by probe name, with the samples the point keeps (a statistical judge compares with
     *         them); a probe sampled without a value gets an empty baseline
     */
    public static Map<String, Baseline> baselinesOf(final RollbackPoint point) {
        Map<String, List<Measurement>> sampled = baselineSamplesOf(point);
        Map<String, Baseline> baselines = new LinkedHashMap<>();
        point.attributes().forEach((key, value) -> {
            if (key.startsWith(BASELINE)) {
                String probe = key.substring(BASELINE.length());
                String samples = point.attributes().get(BASELINE_SAMPLES + probe);
                baselines.put(probe, ("none".equals(value) ? Baseline.none("no baseline before #" + point.id())
                        : new Baseline(Double.parseDouble(value), samples == null ? 1 : Integer.parseInt(samples), ""))
                        .withSampled(sampled.getOrDefault(probe, List.of())));
            }
        });
        return baselines;
    }

    /**
     * Tells whether an environment is frozen.
     *
     * @param ledger
     *         the ledger
     * @param environment
     *         the environment
     * @return its circuit, or a closed one for a new environment
     */
    static Circuit circuitOf(final Ledger ledger, final EnvironmentName environment) {
        return ledger.environments().contains(environment) ? ledger.circuit(environment) : Circuit.initial();
    }
}
