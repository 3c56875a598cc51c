package io.jenkins.plugins.rollbackguard.engine.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Analysis;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSnapshot;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;
import io.jenkins.plugins.rollbackguard.engine.health.Watch;
import io.jenkins.plugins.rollbackguard.engine.health.WatchResult;
import io.jenkins.plugins.rollbackguard.engine.health.WatchState;
import io.jenkins.plugins.rollbackguard.engine.ledger.BackupRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.LeaseClaim;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.Scheduler;

/**
 * The guarded deploy of one point, as a machine that every host drives: the CLI blocking on it
 * ({@link GuardSession#run}), the Pipeline step and the freestyle pair by its events. Its state is plain data
 * ({@link GuardState}), written with the point at every transition: the ledger is its only memory, and a machine
 * built after a restart continues from there ({@link #resume}).
 *
 * <p>Events in: {@link #start} (preflight, lease, record, baselines, backups), {@link #deployEnded} (the deploy
 * finished, failed or was interrupted), {@link #interrupt} (a stop asked by the host), {@link #resume} (the host
 * restarted). Samples are timed by the scheduler and run on the sample executor; everything that blocks
 * (backups, commands, ledger writes, the revert) runs on the host's {@link Host#work() work executor}: no thread of
 * the sample pool ever waits on work queued behind it.</p>
 *
 * <p>Side effects across a crash: a backup is recorded as started, then with its id; a resumed machine adopts a
 * backup committed under the same key, or takes it again (nothing was deployed yet). The deploy is recorded as
 * started (DEPLOYING) before the host starts it; a host that cannot re-attach to it after a restart finds it in
 * doubt, and the environment is frozen with a message saying so. A revert is recorded as started before its hooks
 * run; after a restart a revert point is looked up, else the revert is in doubt and the environment stays frozen.
 * Notifications are recorded before they are sent and once delivered; a resumed machine sends again what was not.</p>
 */
public final class GuardMachine {
    /**
     * Point attribute: the deploy never started (its command could not be started); the ledger's DORA figures do
     * not count such a point as a deploy.
     */
    public static final String NEVER_STARTED = io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint.NEVER_STARTED;
    /** Coalesces writes of the watch's analyses: at most one per point in this time, and one with the verdict. */
    private static final Duration SNAPSHOT_EVERY = Duration.ofSeconds(5);
    /** How often a waiting deploy tries the lease again; no thread waits meanwhile. */
    private static final Duration LEASE_RETRY = Duration.ofMillis(250);

    private final GuardServices services;
    private final Policy policy;
    private final Timeline timeline;
    private final Notifier notifier;
    private final Host host;
    private final GuardSession session;
    private final CompletableFuture<GuardOutcome> done = new CompletableFuture<>();
    /** Completes when a stop is asked: what waits without a thread (baseline sampling) ends with it. */
    private final CompletableFuture<Void> stopAsked = new CompletableFuture<>();
    private volatile UnaryOperator<DeployRequest> beforeRecord = UnaryOperator.identity();

    private volatile RollbackPoint point;
    private volatile Watch watch;
    private volatile Scheduler.Cancellable deadlineTimer;
    /** Guards {@link #running}: a stop interrupts only a thread that runs a process, never one in a ledger write. */
    private final Object processes = new Object();
    private Thread running; // guarded by processes
    /**
     * Serialises what decides a point: a stop's own report, the host's report of the deploy it stopped, and the
     * machine's steps into DEPLOYING, WATCHING and the verdict. A point is decided once; a second report finds it
     * decided and changes nothing.
     */
    private final Object deciding = new Object();
    private boolean verdictTaken; // guarded by deciding: the verdict is being recorded; a stop changes nothing of it
    private volatile Interruption stopped;
    private volatile String stopDetail;
    private volatile Lease lease;
    private volatile Instant lastSnapshot = Instant.EPOCH;
    /** Each probe's baseline samples so far, by probe name, kept on the point with its baseline. */
    private final Map<String, List<io.jenkins.plugins.rollbackguard.engine.health.Measurement>> baselineSamples =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** What the host does for the machine: where samples, backups and blocking work run, and how a revert runs. */
    public interface Host {
        /**
         * Builds the probe of a spec, sampling where the deploy's target is reached (an agent): baselines and the
         * watch both sample through it.
         *
         * @param spec
         *         the probe's spec
         * @return the probe
         */
        Probe probe(ProbeSpec spec);

        /**
         * Takes one backup, blocking (on the work executor).
         *
         * @param spec
         *         what to back up
         * @param key
         *         its key, kept as the backup's label: a resumed machine finds it by this key
         * @return the committed, verified manifest
         */
        BackupManifest takeBackup(BackupSpec spec, String key);

        /**
         * Finds a backup committed under a key (a resumed machine adopts it instead of taking it again).
         *
         * @param spec
         *         what was backed up
         * @param key
         *         the key
         * @return the committed manifest, if any
         */
        Optional<BackupManifest> findBackup(BackupSpec spec, String key);

        /** @return carries out a revert */
        Reverter reverter();

        /** @return where blocking work runs: never the sample pool */
        Executor work();

        /**
         * Tells whether the host's deploy survives a restart of the host (a Pipeline body resumes and reports its
         * end); a command's does not, so a deploy found started after a restart is in doubt.
         *
         * @return whether a resumed machine waits for the deploy's end
         */
        boolean deployResumes();

        /**
         * Checks the programs and files a policy names (command probes, backup sources and tools, hooks, the data
         * version's command) where they will run: in this process by default; a host that runs them on an agent
         * checks them there.
         *
         * @param policy
         *         the policy
         * @return what was found
         */
        default FileChecks.Result checkFiles(final Policy policy) {
            return FileChecks.check(policy, System.getenv("PATH"));
        }
    }

    /** What the host does next. */
    public sealed interface Step permits Deploy, AwaitDeploy, Done {
    }

    /**
     * Run the deploy now and report its end with {@link #deployEnded}; DEPLOYING is recorded already. A host that
     * was stopped meanwhile ({@link #stopCause()}) does not start it: it reports the deploy interrupted.
     *
     * @param point
     *         the point being deployed
     */
    public record Deploy(RollbackPoint point) implements Step {
    }

    /**
     * The deploy was started before a restart and the host resumes it: report its end with {@link #deployEnded}.
     *
     * @param point
     *         the point being deployed
     */
    public record AwaitDeploy(RollbackPoint point) implements Step {
    }

    /**
     * The machine is done.
     *
     * @param outcome
     *         its outcome
     */
    public record Done(GuardOutcome outcome) implements Step {
    }

    /** How the deploy ended, as the host saw it. */
    public sealed interface DeployEnd permits Finished, Failed, Interrupted, NeverStarted {
    }

    /**
     * The deploy could not be started at all (its command does not exist): nothing of it ran, so the point is
     * aborted, never judged, reverted or counted as a deploy.
     *
     * @param reason
     *         one line saying why
     */
    public record NeverStarted(String reason) implements DeployEnd {
    }

    /** The deploy finished. */
    public record Finished() implements DeployEnd {
    }

    /**
     * The deploy failed.
     *
     * @param failure
     *         one line saying how
     */
    public record Failed(String failure) implements DeployEnd {
    }

    /**
     * The deploy was interrupted.
     *
     * @param cause
     *         why, classified by the host
     * @param detail
     *         the host's words (who stopped it, which timeout), or null
     */
    public record Interrupted(Interruption cause, String detail) implements DeployEnd {
    }

    GuardMachine(final GuardSession session, final Host host) {
        this.session = session;
        this.services = session.services();
        this.policy = session.policy();
        this.timeline = session.timeline();
        this.notifier = session.notifier();
        this.host = host;
    }

    /**
     * Sets what turns the request into the one recorded, once preflight and the lease passed: the CLI stores its
     * artifact there, so that a refused deploy leaves no file behind. Call before {@link #start}.
     *
     * @param value
     *         the step (it runs on the machine's work executor and may do I/O)
     */
    public void beforeRecord(final UnaryOperator<DeployRequest> value) {
        beforeRecord = value;
    }

    /** @return the point, once recorded */
    public Optional<RollbackPoint> point() {
        return Optional.ofNullable(point);
    }

    /** @return completes with the outcome when the machine is done */
    public CompletableFuture<GuardOutcome> outcome() {
        return done;
    }

    /**
     * Starts a guarded deploy: resolves its secrets, takes the environment's lease (waiting without a thread, by
     * policy), runs preflight, records the point, samples baselines through the host's probes and takes backups.
     *
     * @param request
     *         what is deployed
     * @param leaseHeld
     *         whether the caller holds the environment's lease already (a nested revert)
     * @return completes with {@link Deploy}, or {@link Done} when the deploy must not run (a backup failed, a stop)
     * @throws GuardRefusedException
     *         through the future, if preflight or the lease refuse
     */
    public CompletableFuture<Step> start(final DeployRequest request, final boolean leaseHeld) {
        Preflight preflight = new Preflight(services, policy, timeline);
        List<Probe> built = new ArrayList<>();
        CompletableFuture<Void> leased = work(() -> {
            built.addAll(resolve(preflight, request)); // before the lease: a policy that cannot run leaves no trace
            return null;
        });
        if (!leaseHeld) {
            Duration wait = policy.concurrent() == Policy.Concurrency.WAIT ? policy.lockTimeoutDuration() : Duration.ZERO;
            Instant deadline = services.scheduler().now().plus(wait);
            leased = leased.thenCompose(v -> takeLease(deadline, wait, false));
        }
        return leased.thenCompose(v -> work(() -> {
            checkNotStopped();
            preflight.check(request, true); // under the lease: no other run changes it now
            preflight.reach(request, built); // under the lease: no other guarded deploy is restarting the service
            RollbackPoint recorded = session.record(beforeRecord.apply(request), GuardState.preparing());
            point = recorded;
            return recorded;
        })).thenCompose(this::prepare).exceptionallyCompose(this::ended);
    }

    /**
     * Runs preflight's static checks and reachability without recording anything or taking the lease: what
     * {@link #start} does first, for {@code validate} and {@code deploy --dry-run}.
     *
     * @param request
     *         what would be deployed
     * @throws PolicyCheckException
     *         when the policy cannot run as written
     * @throws GuardRefusedException
     *         when a probe cannot be reached
     */
    public void checkPolicy(final DeployRequest request) {
        Preflight preflight = new Preflight(services, policy, timeline);
        preflight.reach(request, resolve(preflight, request));
    }

    /**
     * A dry run ({@code deploy --dry-run}): preflight (static checks, the circuit and last good point, reachability),
     * the baselines sampled as the deploy would sample them, the data version it would record, and the revert a trip
     * would start. No lease is taken and nothing is recorded: the services' ledger may be one opened for reading.
     * It waits for the baselines (the CLI's thread; never a host's shared pool).
     *
     * @param request
     *         what would be deployed
     * @return the plan
     * @throws PolicyCheckException
     *         when the policy cannot run as written
     * @throws GuardRefusedException
     *         when a probe cannot be reached, or the deploy would be refused (a frozen environment)
     */
    public DeployPlan plan(final DeployRequest request) {
        Preflight preflight = new Preflight(services, policy, timeline);
        List<Probe> built = resolve(preflight, request);
        preflight.check(request, false);
        preflight.reach(request, built);
        Map<String, Baseline> baselines = session.baselines(null, Map.of(), host::probe, stopAsked).join();
        Optional<io.jenkins.plugins.rollbackguard.engine.ledger.SeenHead> head = session.data().tracks()
                ? session.dataHead() : Optional.empty();
        String dataVersion = request.dataVersion() != null ? request.dataVersion()
                : session.data().tracks() ? head.map(session.data()::versionOf).orElse(null) : session.dataVersion();
        Ledger ledger = ledger();
        boolean known = ledger.environments().contains(policy.environment());
        RollbackPoint.Builder building = RollbackPoint.builder(policy.environment(), request.source())
                .id(known ? ledger.size(policy.environment()) + 1 : 1).dataVersion(dataVersion);
        head.ifPresent(building::dataHead);
        RollbackPoint draft = building.build();
        RevertPlan revert = known
                ? new RollbackPlanner(ledger, services.artifacts(), services.scheduler()::now).previewAutomatic(policy, draft)
                : new RevertPlan.Manual(draft, "it is the first deploy to '%s': there is no point to return to (record what "
                        .formatted(policy.environment()) + "runs now with 'adopt')");
        List<String> backups = policy.backups().stream().map(spec -> spec.describe()
                + (policy.onBackupFailure() == Policy.OnBackupFailure.WARN ? " (onBackupFailure: warn)" : "")).toList();
        String preview = head.map(seen -> DataPreview.describe(policy, seen, revert)).orElse(null);
        return new DeployPlan(policy.environment().value(), draft.id(), baselines, backups, dataVersion, revert,
                timeline.entries(), preview);
    }

    private List<Probe> resolve(final Preflight preflight, final DeployRequest request) {
        try {
            session.resolveSecrets();
        }
        catch (IllegalArgumentException e) { // a missing secret: the message names the field, never the value
            if (!request.isRevert()) {
                throw new PolicyCheckException(e.getMessage() + "; nothing was recorded or run");
            }
            throw e;
        }
        return preflight.resolve(host, request);
    }

    /**
     * Continues a machine after its host restarted, from the state its point keeps in the ledger: the lease is
     * re-confirmed (or taken over from a dead owner), then each phase goes on where it stood.
     *
     * @param environment
     *         the environment
     * @param pointId
     *         the point
     * @param leaseHeld
     *         whether the caller holds the environment's lease already (a nested revert)
     * @return what the host does next
     */
    public CompletableFuture<Step> resume(final EnvironmentName environment, final long pointId, final boolean leaseHeld) {
        CompletableFuture<Void> leased = leaseHeld ? CompletableFuture.completedFuture(null)
                : takeLease(services.scheduler().now(), Duration.ZERO, true);
        return leased.thenCompose(v -> work(() -> ledger().point(environment, pointId))).thenCompose(found -> {
            point = found;
            GuardState state = GuardState.of(found);
            if (state == null) {
                return finish(found, outcomeOf(found, "no guard state: not recorded by a guard machine"));
            }
            timeline.anchor(state.deployStartedAt()); // the same clock as before the restart, if the deploy had started
            timeline.add("resume", "resuming %s in phase %s (status %s)".formatted(found.label(), state.phase(),
                    found.status()));
            return this.<GuardState>work(() -> {
                resendUndelivered(found, state);
                return state;
            }).thenCompose(v -> continueFrom(found, state));
        }).exceptionallyCompose(this::ended);
    }

    /** Goes on from the phase a point's state stands in after a restart. */
    private CompletableFuture<Step> continueFrom(final RollbackPoint found, final GuardState state) {
        if (state.interruption() != null && state.phase() != GuardState.Phase.JUDGING
                && state.phase() != GuardState.Phase.DONE) {
            // a stop recorded before the restart decides the point as it would have: the deploy's end is known
            // (nobody reports it again), and a deploy stopped is never watched
            return this.<Step>work(() -> interrupted(found, state.interruption(), "recorded before the restart"));
        }
        return switch (state.phase()) {
            case PREPARING -> prepare(found);
            case DEPLOYING -> host.deployResumes() ? awaitDeploy(found)
                    : this.<Step>work(() -> inDoubt(found, "the deploy of %s was started at %s and this host cannot know how "
                            .formatted(found.label(), state.deployStartedAt()) + "it ended"));
            case WATCHING -> this.<RollbackPoint>work(() -> rewatch(found)).thenCompose(this::watch).thenCompose(this::judge);
            case JUDGING -> this.<Step>work(() -> resumeTrip(found, state));
            case DONE -> finish(found, outcomeOf(found, "decided before the restart"));
        };
    }

    /**
     * Sends again the notifications recorded as started and not as delivered before the restart: at least once
     * (receivers dedupe by environment, point and type).
     */
    private void resendUndelivered(final RollbackPoint at, final GuardState state) {
        state.notices().forEach((type, entry) -> {
            if (GuardState.STARTED.equals(entry)) {
                String text = at.verdict() != null ? at.verdict()
                        : "%s of %s, sent again after a restart".formatted(type, at.label());
                notifier.notify(new GuardEvent(GuardEvent.Type.valueOf(type), at.environment().value(), at.id(),
                                services.masker().mask(text), services.scheduler().now(),
                                TripHandler.incidentOf(services.ledger(), at), at.explanation()))
                        .whenComplete((sent, failure) -> update(at, "notification " + type + " sent",
                                s -> s.withNotice(type, GuardState.SENT)));
            }
        });
    }

    /**
     * Tells the machine how the deploy ended; it watches a finished deploy and judges it.
     *
     * @param deployed
     *         the point the host deployed
     * @param end
     *         how it ended
     * @return completes with the outcome
     */
    public CompletableFuture<Step> deployEnded(final RollbackPoint deployed, final DeployEnd end) {
        CompletableFuture<Step> next;
        if (end instanceof Failed failed) {
            next = work(() -> {
                takeVerdict(GuardState.Phase.DEPLOYING);
                String masked = services.masker().mask(failed.failure());
                timeline.add("deploy", "deploy failed: " + masked);
                return new Done(finishNow(trips().onVerdict(current(deployed), VerdictStatus.FAILED,
                        "deploy failed: " + masked, host.reverter())));
            });
        }
        else if (end instanceof Interrupted interrupted) {
            // a host reporting the stop it saw (the CLI's driver, the freestyle build) does not know the stop's words:
            // whichever report decides first, the verdict names them (stopDetail is written before stopped)
            String detail = interrupted.detail() != null ? interrupted.detail()
                    : interrupted.cause() == stopped ? stopDetail : null;
            next = work(() -> interrupted(deployed, interrupted.cause(), detail)).thenCompose(this::orDone);
        }
        else if (end instanceof NeverStarted never) {
            next = work(() -> {
                takeVerdict(GuardState.Phase.DEPLOYING);
                String line = services.masker().mask(("the deploy never started: %s; nothing was deployed, judged or "
                        + "reverted and the circuit is unchanged").formatted(never.reason()));
                timeline.add("deploy", line);
                RollbackPoint aborted = ledger().transition(deployed.environment(), deployed.id(), PointStatus.ABORTED,
                        "guard", line, line, builder -> GuardState.of(builder.build()).done(GuardOutcome.Result.ABORTED)
                                .applyTo(builder.attribute(NEVER_STARTED, "true")));
                return new Done(finishNow(new GuardOutcome(GuardOutcome.Result.ABORTED, aborted, line, null,
                        timeline.entries(), null)));
            });
        }
        else {
            next = work(() -> {
                session.data().observe(current(deployed), "after-deploy"); // what the deploy command migrated
                synchronized (deciding) {
                    checkNotStopped();
                    Instant deadline = services.scheduler().now().plus(plannedWatch());
                    return transition(deployed, PointStatus.WATCHING, "deploy finished, watching", null,
                            s -> s.watching(deadline));
                }
            }).thenCompose(this::watch).thenCompose(this::judge);
        }
        return next.exceptionallyCompose(this::ended);
    }

    /**
     * Asks the machine to stop, for a cause: the cause is recorded first; preparation and the watch stop; a
     * deliberate stop aborts the point, any other interrupts it and freezes the environment. After the verdict a
     * stop only interrupts what runs (a hook); the verdict stands.
     *
     * @param cause
     *         why
     * @param detail
     *         the host's words, or null
     * @return completes with the outcome
     */
    public CompletableFuture<GuardOutcome> interrupt(final Interruption cause, final String detail) {
        stopDetail = detail;
        stopped = cause;
        stopAsked.complete(null);
        Watch current = watch;
        if (current != null) {
            current.stop(cause.describe());
        }
        synchronized (processes) {
            if (running != null) {
                running.interrupt(); // a backup's or hook's process is killed by its runner
            }
        }
        RollbackPoint known = point;
        if (known != null && !done.isDone()) {
            CompletableFuture.runAsync(() -> interrupted(known, cause, detail), host.work()).exceptionally(failure -> {
                services.listener().error("cannot record the stop of %s: %s".formatted(known.label(), failure));
                return null;
            });
        }
        return done;
    }

    // ---- preparation

    private CompletableFuture<Step> prepare(final RollbackPoint recorded) {
        return baselines(recorded).handle((baselines, failure) -> {
            if (stopped != null) {
                throw new Stopped(stopped); // the stop ended the sampling: it decides the point
            }
            if (failure != null) {
                throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure);
            }
            return baselines;
        }).thenCompose(baselines -> work(() -> {
            checkNotStopped();
            RollbackPoint remembered = session.rememberBaselines(current(recorded), baselines, Map.copyOf(baselineSamples));
            Optional<GuardOutcome> aborted = backups(remembered);
            if (aborted.isPresent()) {
                return (Step) new Done(finishNow(aborted.get()));
            }
            RollbackPoint deploying;
            synchronized (deciding) { // a stop aborts the point before it is deploying, or after: never at once
                checkNotStopped();
                deploying = transition(current(recorded), PointStatus.DEPLOYING, "deploy started", null,
                        s -> s.deploying(services.scheduler().now()));
            }
            timeline.anchor(GuardState.of(deploying).deployStartedAt()); // the instant the ledger keeps
            timeline.add("deploy", "deploying %s".formatted(deploying.label()));
            return new Deploy(deploying);
        }));
    }

    private CompletableFuture<Step> awaitDeploy(final RollbackPoint found) {
        return work(() -> {
            RollbackPoint now = found.status() == PointStatus.INTERRUPTED
                    ? ledger().transition(found.environment(), found.id(), PointStatus.DEPLOYING, "guard",
                    "the deploy resumed after a restart") : found;
            return new AwaitDeploy(now);
        });
    }

    /**
     * Samples baselines asynchronously through the host's probes, all at once (each at its own interval); a revert
     * reuses those of the deploy it reverts. The samples are collected as they come (on the sample threads, without a
     * ledger write each: a write per sample would be as many more ways for a crash to cut the preparation) and kept
     * on the point with the baselines, each with the time it was taken.
     */
    private CompletableFuture<Map<String, Baseline>> baselines(final RollbackPoint recorded) {
        RollbackPoint reverted = recorded.isRevert() ? ledger().point(recorded.environment(), recorded.revertOf()) : null;
        return session.baselines(reverted, GuardSession.baselinesOf(recorded), Map.of(), host::probe, stopAsked,
                (spec, samples) -> baselineSamples.put(spec.name(), samples));
    }

    /** Takes the backups, each recorded as started and then with its id; one committed under its key is adopted. */
    private Optional<GuardOutcome> backups(final RollbackPoint remembered) {
        List<BackupSpec> specs = policy.backups();
        for (int n = 0; n < specs.size(); n++) {
            checkNotStopped();
            BackupSpec spec = specs.get(n);
            String key = "point-%d.%d".formatted(remembered.id(), n + 1);
            GuardState state = GuardState.of(current(remembered));
            String entry = state.backups().get(key);
            if (entry != null && !GuardState.STARTED.equals(entry)) {
                continue; // taken before a restart
            }
            try {
                Optional<BackupManifest> adopted = entry == null ? Optional.empty() : host.findBackup(spec, key);
                if (entry == null) {
                    update(remembered, "backup " + key + " started", s -> s.withBackup(key, GuardState.STARTED));
                }
                BackupManifest manifest = adopted.isPresent() ? adopted.get()
                        : runningProcess(true, () -> host.takeBackup(spec, key));
                BackupRef ref = new BackupRef(manifest.id(), spec.kind().name().toLowerCase(java.util.Locale.ROOT),
                        manifest.sha256(), manifest.size(), manifest.startedAt(),
                        manifest.verification().ok() ? manifest.verification().at() : null);
                ledger().update(remembered.environment(), remembered.id(), "guard", "backup " + key + " taken",
                        builder -> GuardState.of(builder.build()).withBackup(key, manifest.id()).applyTo(builder.backup(ref)));
                timeline.add("backup", "%s backup %s of %s%s: %d bytes in %d ms, verified: %s".formatted(spec.kind(),
                        manifest.id(), spec.describe(), adopted.isPresent() ? " (taken before the restart)" : "",
                        manifest.size(), manifest.duration().toMillis(), manifest.verification().detail()));
                rowsAfterBackup(remembered, spec, manifest);
            }
            catch (RuntimeException e) {
                if (stopped != null) {
                    throw new Stopped(stopped);
                }
                String line = services.masker().mask("%s backup of %s failed: %s".formatted(spec.kind(), spec.describe(),
                        e.getMessage()));
                timeline.add("backup", line);
                if (policy.onBackupFailure() == Policy.OnBackupFailure.STOP) {
                    RollbackPoint aborted = transition(current(remembered), PointStatus.ABORTED, line,
                            line + "; the deploy did not run (onBackupFailure: stop)",
                            s -> s.done(GuardOutcome.Result.ABORTED));
                    return Optional.of(new GuardOutcome(GuardOutcome.Result.ABORTED, aborted, aborted.verdict(), null,
                            timeline.entries(), null));
                }
                update(remembered, "backup " + key + " failed", s -> s.withBackup(key, "failed"));
            }
        }
        return Optional.empty();
    }

    /**
     * Counts the policy's business tables right after a database backup, for the data-loss window of a restore of
     * it (rows written since = the count then against the count at the restore).
     */
    private void rowsAfterBackup(final RollbackPoint at, final BackupSpec spec, final BackupManifest manifest) {
        DataVersionSpec data = policy.dataTracking();
        boolean database = spec.kind() == io.jenkins.plugins.rollbackguard.engine.backup.BackupKind.POSTGRES
                || spec.kind() == io.jenkins.plugins.rollbackguard.engine.backup.BackupKind.MYSQL;
        if (data == null || data.businessTables().isEmpty() || !database) {
            return;
        }
        Map<String, Long> counts = session.data().countRows(spec);
        if (!counts.isEmpty()) {
            ledger().update(at.environment(), at.id(), "guard", "rows counted after backup " + manifest.id(),
                    builder -> builder.attribute(DataHeadObserver.ROWS + manifest.id(), DataHeadObserver.writeCounts(counts)));
            timeline.add("data", "rows after backup %s: %s".formatted(manifest.id(), DataHeadObserver.describeCounts(counts)));
        }
    }

    // ---- watch and verdict

    private Duration plannedWatch() {
        long longest = 0;
        for (ProbeSpec spec : policy.probes()) {
            long each = spec.analysis().initialDelayDuration().toMillis()
                    + spec.analysis().intervalDuration().toMillis() * (spec.analysis().plannedSamples() + 1L);
            longest = Math.max(longest, each);
        }
        return Duration.ofMillis(longest).plus(Duration.ofMinutes(2)); // a margin for slow samples
    }

    /**
     * Re-attaches the watch of a resumed point for what is left of its window; when the window is past, the samples
     * kept are stale (the service ran unwatched since), so the watch takes one fresh set of samples, as planned by the
     * policy, and judges those.
     */
    private RollbackPoint rewatch(final RollbackPoint found) {
        GuardState state = GuardState.of(found);
        Instant now = services.scheduler().now();
        if (state.watchDeadline() != null && !now.isBefore(state.watchDeadline())) {
            Instant deadline = now.plus(plannedWatch());
            String line = ("the watch window of %s ended at %s, %ds ago: its samples are stale, so it takes one fresh set "
                    + "of samples and judges those").formatted(found.label(), state.watchDeadline(),
                    Duration.between(state.watchDeadline(), now).toSeconds());
            timeline.add("resume", line);
            UnaryOperator<RollbackPoint.Builder> fresh = builder -> GuardState.of(builder.build()).watching(deadline)
                    .applyTo(builder.attribute(GuardState.WATCH, ""));
            return found.status() == PointStatus.INTERRUPTED
                    ? ledger().transition(found.environment(), found.id(), PointStatus.WATCHING, "guard", line, null, fresh)
                    : ledger().update(found.environment(), found.id(), "guard", line, fresh);
        }
        if (found.status() == PointStatus.INTERRUPTED) { // the ledger saw the old process die
            return ledger().transition(found.environment(), found.id(), PointStatus.WATCHING, "guard",
                    "watch resumed after a restart");
        }
        return found;
    }

    /** Watches the point: analyses continue from those the ledger keeps; their state is written as samples come. */
    private CompletableFuture<WatchResult> watch(final RollbackPoint watching) {
        checkNotStopped();
        String kept = watching.attributes().get(GuardState.WATCH);
        Map<String, AnalysisSnapshot> restored = kept == null || kept.isBlank() ? Map.of() : WatchState.readSnapshots(kept);
        Map<String, Baseline> baselines = GuardSession.baselinesOf(watching);
        Watch created = new Watch(services.scheduler(), services.executor(), timeline.stamping("watch"));
        for (ProbeSpec spec : policy.probes()) {
            AnalysisSnapshot snapshot = restored.get(spec.name());
            created.add(host.probe(spec), snapshot != null ? Analysis.restore(spec, snapshot)
                    : Analysis.of(spec, baselines.getOrDefault(spec.name(), Baseline.none("not sampled"))));
        }
        if (policy.probes().isEmpty()) {
            timeline.add("watch", "no probes in the policy: the deploy counts as healthy");
        }
        else {
            timeline.add("watch", (restored.isEmpty() ? "" : "resumed: ") + "watching %d probe(s): %s".formatted(
                    policy.probes().size(), policy.probes().stream().map(ProbeSpec::name).toList()));
        }
        // the write goes to the work executor: a sample thread neither waits on the ledger's lock nor does its I/O
        created.observe((probe, scheduled, measurement) -> {
            try {
                host.work().execute(() -> keepSnapshots(watching, created, false));
            }
            catch (java.util.concurrent.RejectedExecutionException e) {
                created.stop("the host stopped"); // its session ended: a resumed machine goes on from the ledger
            }
        });
        watch = created;
        Instant deadline = GuardState.of(watching).watchDeadline();
        if (deadline != null) {
            Duration left = Duration.between(services.scheduler().now(), deadline);
            deadlineTimer = services.scheduler().schedule(left.isNegative() ? Duration.ZERO : left,
                    () -> created.stop("the watch deadline passed"));
        }
        if (stopped != null) {
            created.stop(stopped.describe());
        }
        return created.start();
    }

    /** Writes the analyses to the ledger, at most once per {@link #SNAPSHOT_EVERY} unless forced. */
    private synchronized void keepSnapshots(final RollbackPoint watching, final Watch of, final boolean force) {
        Instant now = services.scheduler().now();
        if (!force && Duration.between(lastSnapshot, now).compareTo(SNAPSHOT_EVERY) < 0) {
            return;
        }
        lastSnapshot = now;
        String text = WatchState.writeSnapshots(of.snapshots());
        try {
            ledger().update(watching.environment(), watching.id(), "guard", "watch state",
                    builder -> builder.attribute(GuardState.WATCH, text));
        }
        catch (RuntimeException e) {
            services.listener().error("cannot keep the watch state of %s (the watch goes on): %s"
                    .formatted(watching.label(), e.getMessage()));
        }
    }

    private CompletableFuture<Step> judge(final WatchResult result) {
        return this.<Step>work(() -> {
            Scheduler.Cancellable timer = deadlineTimer;
            if (timer != null) {
                timer.cancel();
            }
            Watch finished = watch;
            watch = null;
            RollbackPoint watched = current(point);
            if (finished != null) {
                keepSnapshots(watched, finished, true);
            }
            takeVerdict(GuardState.Phase.WATCHING);
            session.data().observe(watched, "watch-end"); // the application may have migrated as it started
            Map<String, String> responses = finished == null ? Map.of() : finished.lastResponses();
            return new Done(finishNow(trips().withResponses(responses).onWatch(current(watched), result,
                    host.reverter())));
        });
    }

    // ---- interruptions, doubt, the trip after a restart

    /**
     * Claims the verdict for the watch or the failed deploy, unless a stop came first: from here a stop changes
     * nothing of the verdict.
     */
    private void takeVerdict(final GuardState.Phase judged) {
        synchronized (deciding) {
            GuardState state = GuardState.of(current(point));
            if (stopped != null || state == null || state.phase() != judged) {
                throw new Stopped(stopped); // an interruption decides this point, not the stopped watch
            }
            verdictTaken = true;
        }
    }

    /**
     * Decides a point a stop reached, once: the stop's own report and the host's report of the deploy it stopped
     * both come here, and the second finds the point decided.
     *
     * @return the step, or null when the verdict was taken before the stop (whoever records it ends the machine)
     */
    private Step interrupted(final RollbackPoint at, final Interruption cause, final String reported) {
        // a host's report of the deploy a stop cut short has no words of its own: when it decides first, the stop's
        // words (set before its cause, so seen with it) still go with the verdict
        String detail = reported == null && cause == stopped ? stopDetail : reported;
        String why = cause.describe() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
        synchronized (deciding) {
            GuardState state = GuardState.of(current(at));
            if (verdictTaken || state != null && (state.phase() == GuardState.Phase.JUDGING
                    || state.phase() == GuardState.Phase.DONE)) {
                return done.isDone() && !done.isCompletedExceptionally() ? new Done(done.join()) : null;
            }
            RollbackPoint now = update(at, "interrupted: " + why, s -> s.withInterruption(cause));
            if (!now.status().isInFlight() && now.status() != PointStatus.INTERRUPTED) {
                return new Done(finishNow(outcomeOf(now, "the stop came after the verdict: " + why)));
            }
            if (cause.isDeliberate()) {
                String line = "%s: %s; nothing was judged or reverted and the circuit is unchanged".formatted(
                        now.status() == PointStatus.RECORDED ? "aborted before the deploy" : "aborted", why);
                RollbackPoint aborted = transition(now, PointStatus.ABORTED, line, line,
                        s -> s.done(GuardOutcome.Result.ABORTED));
                timeline.add("abort", line);
                return new Done(finishNow(new GuardOutcome(GuardOutcome.Result.ABORTED, aborted, line, null,
                        timeline.entries(), null)));
            }
            return inDoubt(now, "%s was interrupted: %s".formatted(now.label(), why));
        }
    }

    /** @return the step, or the machine's end when there is none yet (the verdict, taken before a stop, ends it) */
    private CompletableFuture<Step> orDone(final Step step) {
        return step != null ? CompletableFuture.completedFuture(step) : done.thenApply(Done::new);
    }

    /**
     * What the deploy did is not known: the point is INTERRUPTED and the environment frozen, saying so. The freeze and
     * its notification come before the point is marked done: a restart between them finds the machine undone and
     * does them again (the circuit keeps its first reason, the notification is journaled), never a done point with
     * an environment left open.
     */
    private Step inDoubt(final RollbackPoint at, final String what) {
        String line = services.masker().mask(what + "; what runs in '%s' is not known: check it, then "
                .formatted(at.environment()) + "reset the circuit, or roll back");
        ledger().openCircuit(at.environment(), line, "guard", at.id());
        timeline.add("freeze", "circuit OPEN for '%s': %s".formatted(at.environment(), line));
        trips().send(GuardEvent.Type.FREEZE, at, line);
        RollbackPoint interrupted = at.status() == PointStatus.INTERRUPTED
                ? update(at, line, s -> s.done(GuardOutcome.Result.FROZEN))
                : transition(at, PointStatus.INTERRUPTED, line, line, s -> s.done(GuardOutcome.Result.FROZEN));
        return new Done(finishNow(new GuardOutcome(GuardOutcome.Result.FROZEN, interrupted, line, null,
                timeline.entries(), null)));
    }

    /** Goes on with a trip whose verdict was recorded before the restart. */
    private Step resumeTrip(final RollbackPoint bad, final GuardState state) {
        if (state.revert() == null) {
            return new Done(finishNow(trips().onBad(bad, bad.verdict() == null ? "BAD" : bad.verdict(), host.reverter())));
        }
        String[] revert = state.revert().split(":");
        Optional<RollbackPoint> revertPoint = ledger().history(bad.environment(), 0,
                        Math.min(200, ledger().size(bad.environment()))).stream()
                .filter(p -> p.revertOf() == bad.id()).findFirst();
        if (revert.length > 2) { // its result was recorded before the restart
            return new Done(finishNow(revertEnded(bad, state, GuardOutcome.Result.valueOf(revert[2]), revertPoint)));
        }
        if (revertPoint.isPresent() && !revertPoint.get().status().isInFlight()
                && revertPoint.get().status() != PointStatus.INTERRUPTED) {
            RollbackPoint reverting = revertPoint.get();
            GuardOutcome.Result result = reverting.status() == PointStatus.GOOD ? GuardOutcome.Result.GOOD
                    : GuardOutcome.Result.BAD;
            RollbackPoint target = targetOf(state, bad);
            return new Done(finishNow(trips().reverted(new RevertPlan.Revert(bad, target, List.of(), "resumed"),
                    new GuardOutcome(result, reverting, "decided before the restart", null, List.of(), null))));
        }
        Optional<GuardOutcome> elsewhere = host.reverter().resume(bad, revertPoint.orElse(null));
        if (elsewhere.isPresent()) {
            RollbackPoint target = targetOf(state, bad);
            return new Done(finishNow(trips().reverted(new RevertPlan.Revert(bad, target, List.of(), "resumed"),
                    elsewhere.get())));
        }
        String line = services.masker().mask(("the revert of %s was started before the restart and its end is not "
                + "known (%s); '%s' stays frozen: check what runs, then reset the circuit or roll back by hand")
                .formatted(bad.label(), revertPoint.map(p -> p.label() + " is " + p.status()).orElse("no revert point "
                        + "was recorded: its hooks or data restore may have run"), bad.environment()));
        ledger().openCircuit(bad.environment(), line, "guard", bad.id());
        ledger().note(bad.environment(), bad.id(), "guard", line);
        timeline.add("revert", line);
        revertPoint.ifPresent(reverting -> closeInDoubt(reverting, bad));
        trips().send(GuardEvent.Type.REVERT_RESULT, bad, line); // whoever was told it started learns it is unknown
        update(bad, "revert in doubt", s -> s.withRevert("in doubt").done(GuardOutcome.Result.REVERT_FAILED));
        return new Done(finishNow(new GuardOutcome(GuardOutcome.Result.REVERT_FAILED, current(bad), line, null,
                timeline.entries(), null)));
    }

    /**
     * The outcome of a trip whose revert's result was recorded before the restart: what followed that result (the
     * after-revert hooks, REVERT_RESULT) is done now unless its notification was recorded already.
     */
    private GuardOutcome revertEnded(final RollbackPoint bad, final GuardState state, final GuardOutcome.Result ended,
                                     final Optional<RollbackPoint> revertPoint) {
        if (!state.notices().containsKey(GuardEvent.Type.REVERT_RESULT.name())) {
            GuardOutcome result = new GuardOutcome(ended, revertPoint.orElse(bad), "decided before the restart", null,
                    List.of(), null);
            return trips().afterRevert(new RevertPlan.Revert(bad, targetOf(state, bad), List.of(), "resumed"), result);
        }
        GuardOutcome.Result result = switch (ended) {
            case GOOD -> GuardOutcome.Result.REVERTED;
            case REVERTING -> GuardOutcome.Result.REVERTING;
            default -> GuardOutcome.Result.REVERT_FAILED;
        };
        return new GuardOutcome(result, current(bad), "the revert ended %s before the restart".formatted(ended), null,
                timeline.entries(), null);
    }

    /**
     * Ends the machine of a revert point whose revert is in doubt: nobody goes on with it (its host is the one that
     * restarted, or its reverting build is not known), so it must not stay in flight, nor look resumable.
     */
    private void closeInDoubt(final RollbackPoint reverting, final RollbackPoint bad) {
        String reason = "its host stopped before the revert's end was known; the revert of %s is in doubt"
                .formatted(bad.label());
        GuardState state = GuardState.of(reverting);
        if (reverting.status().isInFlight()) {
            transition(reverting, PointStatus.INTERRUPTED, reason, null, s -> s.done(GuardOutcome.Result.FROZEN));
        }
        else if (state == null || state.phase() != GuardState.Phase.DONE) {
            update(reverting, reason, s -> s.done(GuardOutcome.Result.FROZEN));
        }
    }

    private RollbackPoint targetOf(final GuardState state, final RollbackPoint bad) {
        return ledger().point(bad.environment(), Long.parseLong(state.revert().split(":")[1]));
    }

    // ---- the trip's journal: each effect of a trip is written to the point's state

    private TripHandler trips() {
        return new TripHandler(tripServices(), policy, timeline, notifier, new TripHandler.TripJournal() {
            @Override
            public UnaryOperator<RollbackPoint.Builder> verdict(final GuardOutcome.Result result) {
                return builder -> GuardState.of(builder.build()).withPhase(result == null ? GuardState.Phase.JUDGING
                        : GuardState.Phase.DONE).applyTo(builder);
            }

            @Override
            public boolean noticeStarted(final RollbackPoint at, final String type) {
                GuardState state = GuardState.of(current(at));
                if (state == null || state.notices().containsKey(type)) {
                    return state == null;
                }
                update(at, "notification " + type + " started", s -> s.withNotice(type, GuardState.STARTED));
                return true;
            }

            @Override
            public void noticeSent(final RollbackPoint at, final String type) {
                if (GuardState.of(current(at)) != null) {
                    update(at, "notification " + type + " sent", s -> s.withNotice(type, GuardState.SENT));
                }
            }

            @Override
            public void revertStarted(final RollbackPoint leaving, final RollbackPoint target) {
                update(leaving, "revert to #" + target.id() + " started", s -> s.withRevert("started:" + target.id()));
            }

            @Override
            public void revertEnded(final RollbackPoint leaving, final GuardOutcome.Result result) {
                update(leaving, "revert ended " + result, s -> s.withRevert(s.revert() + ":" + result));
            }
        });
    }

    // ---- the lease

    /** Takes the lease, trying again on the scheduler until the deadline: no thread waits for it. */
    private CompletableFuture<Void> takeLease(final Instant deadline, final Duration wait, final boolean resuming) {
        CompletableFuture<Void> taken = new CompletableFuture<>();
        tryLease(deadline, wait, resuming, false, taken);
        return taken;
    }

    private void tryLease(final Instant deadline, final Duration wait, final boolean resuming, final boolean told,
                          final CompletableFuture<Void> taken) {
        host.work().execute(() -> {
            try {
                if (stopped != null) {
                    throw new Stopped(stopped);
                }
                EnvironmentName env = policy.environment();
                LeaseClaim claim = ledger().takeLease(env, services.leases().self(), services.leases().liveness());
                Lease now = claim.lease();
                if (claim.granted()) {
                    lease = now;
                    timeline.add("lease", claim.tookOverFrom() != null
                            ? "took over the lease of '%s' as %s (epoch %d): its holder %s is gone"
                            .formatted(env, now.owner(), now.epoch(), claim.tookOverFrom())
                            // a lease held already is renewed after it was taken; one taken now was free
                            : "%s the lease of '%s' as %s (epoch %d)".formatted(resuming && !now.since().equals(now.renewed())
                            ? "re-confirmed" : "took", env, now.owner(), now.epoch()));
                    taken.complete(null);
                    return;
                }
                if (!services.scheduler().now().isBefore(deadline)) {
                    throw new GuardRefusedException(("environment '%s' is busy: another guarded deploy holds its lease, "
                            + "held by %s since %s (epoch %d; waited %ds); set concurrent: wait and lockTimeout to wait "
                            + "longer, or break it with rollback-guard lease break --env %s --reason ...")
                            .formatted(env, now.owner(), now.since(), now.epoch(), wait.toSeconds(), env));
                }
                if (!told) {
                    timeline.add("lease", "waiting up to %ds for the lease of '%s', %s".formatted(wait.toSeconds(), env,
                            now.describe()));
                }
                services.scheduler().schedule(LEASE_RETRY, () -> tryLease(deadline, wait, resuming, true, taken));
            }
            catch (RuntimeException e) {
                taken.completeExceptionally(e);
            }
        });
    }

    private void releaseLease() {
        Lease held = lease;
        lease = null;
        if (held != null) {
            try {
                ledger().releaseLease(policy.environment(), held.owner(), held.epoch());
            }
            catch (RuntimeException e) {
                services.listener().error("cannot release the lease of '%s': %s (break it with rollback-guard lease "
                        .formatted(policy.environment(), e.getMessage()) + "break)");
            }
        }
    }

    // ---- plumbing

    private <T> CompletableFuture<T> work(final Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, host.work());
    }

    /**
     * Runs what a stop cuts short: a backup, a hook, a restore, whose process its runner kills when this thread is
     * interrupted. Only here does a stop interrupt a thread: an interrupt that reached a ledger write would fail it
     * (the file channel closes) and every write after it on that thread, leaving the point half decided.
     *
     * @param refuseWhenStopped
     *         whether a stop asked already refuses to start it (preparation); after the verdict a stop only cuts
     *         short what runs
     */
    <T> T runningProcess(final boolean refuseWhenStopped, final Supplier<T> action) {
        synchronized (processes) { // a stop sets its cause before it takes this lock: either it is seen, or it interrupts
            if (refuseWhenStopped) {
                checkNotStopped();
            }
            running = Thread.currentThread();
        }
        try {
            return action.get();
        }
        finally {
            synchronized (processes) {
                running = null;
                Thread.interrupted(); // an interrupt meant for the process must not reach the ledger write after it
            }
        }
    }

    /** The services of the trip: the commands it runs (hooks, data restores) are cut short by a stop. */
    private GuardServices tripServices() {
        io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner runner = services.runner();
        return new GuardServices(services.ledger(), services.backups(), services.artifacts(), services.secrets(),
                new io.jenkins.plugins.rollbackguard.engine.spi.CommandRunner() {
                    @Override
                    public io.jenkins.plugins.rollbackguard.engine.spi.CommandResult run(
                            final io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest request) {
                        return runningProcess(false, () -> runner.run(request));
                    }

                    @Override // streams too: the evidence's log command keeps the end of a long output
                    public io.jenkins.plugins.rollbackguard.engine.spi.CommandResult run(
                            final io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest request,
                            final io.jenkins.plugins.rollbackguard.engine.spi.OutputLines lines) {
                        return runningProcess(false, () -> runner.run(request, lines));
                    }
                }, services.scheduler(), services.executor(),
                services.listener(), services.notifier(), services.leases());
    }

    private CompletableFuture<Step> finish(final RollbackPoint at, final GuardOutcome outcome) {
        return CompletableFuture.completedFuture(new Done(finishNow(outcome)));
    }

    private GuardOutcome finishNow(final GuardOutcome outcome) {
        RollbackPoint at = outcome.point() != null ? current(outcome.point()) : null;
        GuardState state = at == null ? null : GuardState.of(at);
        if (state != null && (state.phase() != GuardState.Phase.DONE || state.result() == null)) {
            update(at, "guard done: " + outcome.result(), s -> s.done(outcome.result()));
        }
        releaseLease();
        done.complete(outcome);
        return outcome;
    }

    /**
     * Ends a step that failed: a stop hands the host the outcome the interruption gives; anything else fails the
     * machine (and the host's step) with its cause.
     */
    private CompletableFuture<Step> ended(final Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof Stopped) {
            RollbackPoint known = point;
            Interruption why = stopped;
            if (known == null) { // stopped before anything was recorded
                releaseLease();
                done.complete(new GuardOutcome(GuardOutcome.Result.ABORTED, null, "stopped before the point was "
                        + "recorded (" + why.describe() + "): nothing was recorded or run", null, timeline.entries(),
                        null));
            }
            else if (why != null && !done.isDone()) {
                // the stop may have come while the point was being recorded, before the machine knew it: then its own
                // report decided nothing, and this one does (a second report finds the point decided)
                return this.<Step>work(() -> interrupted(known, why, stopDetail)).thenCompose(this::orDone);
            }
            return done.thenApply(Done::new); // the interruption completes the machine
        }
        releaseLease();
        done.completeExceptionally(cause);
        return CompletableFuture.failedFuture(cause);
    }

    /** @return the cause of the stop asked, or null */
    public Interruption stopCause() {
        return stopped;
    }

    private void checkNotStopped() {
        if (stopped != null) {
            throw new Stopped(stopped);
        }
    }

    private RollbackPoint transition(final RollbackPoint at, final PointStatus to, final String reason,
                                     final String verdict, final UnaryOperator<GuardState> change) {
        return ledger().transition(at.environment(), at.id(), to, "guard", reason, verdict, builder -> {
            GuardState state = GuardState.of(builder.build());
            return change.apply(state == null ? GuardState.preparing() : state).applyTo(builder);
        });
    }

    private RollbackPoint update(final RollbackPoint at, final String reason, final UnaryOperator<GuardState> change) {
        return ledger().update(at.environment(), at.id(), "guard", reason, builder -> {
            GuardState state = GuardState.of(builder.build());
            return change.apply(state == null ? GuardState.preparing() : state).applyTo(builder);
        });
    }

    private RollbackPoint current(final RollbackPoint at) {
        return ledger().point(at.environment(), at.id());
    }

    private Ledger ledger() {
        return services.ledger();
    }

    private GuardOutcome outcomeOf(final RollbackPoint at, final String why) {
        GuardState state = GuardState.of(at);
        GuardOutcome.Result result;
        if (state != null && state.result() != null) {
            result = GuardOutcome.Result.valueOf(state.result());
        }
        else {
            result = switch (at.status()) {
                case GOOD, ADOPTED -> GuardOutcome.Result.GOOD;
                case INCONCLUSIVE -> GuardOutcome.Result.INCONCLUSIVE;
                case REVERTED -> GuardOutcome.Result.REVERTED;
                case ABORTED -> GuardOutcome.Result.ABORTED;
                case BAD -> GuardOutcome.Result.BAD;
                default -> GuardOutcome.Result.FROZEN;
            };
        }
        return new GuardOutcome(result, at, at.verdict() != null ? at.verdict() : why, null, timeline.entries(), null);
    }

    /** Thrown inside the machine when a stop was asked: the interruption, not this, completes it. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param cause the stop asked, or null when the point left its phase by another way (an interruption) */
        Stopped(final Interruption cause) {
            super(cause == null ? "stopped: the point left its phase" : "stopped: " + cause.describe(), null, false,
                    false);
        }
    }
}
