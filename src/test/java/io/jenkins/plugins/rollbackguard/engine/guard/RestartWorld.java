package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupContext;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.backup.FilesBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalProcesses;
import io.jenkins.plugins.rollbackguard.engine.spi.OwnerLiveness;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/**
 * One guarded deploy run by hosts that crash, for {@link GuardRestartTest}: a ledger, a backup store, an artifact
 * store and the application's installed version in a directory of its own, and the side effects every host caused,
 * counted by the test. A host is what a JVM would hold: its own {@link Ledger} instance on the shared directory, a
 * scheduler, a sample pool and a work pool, a session and a machine. A CLI-like host is a process as well (a
 * stand-in child process whose pid and start time are its ledger and lease owner, so that the next host finds it
 * dead, as a real restart would), driven as the blocking CLI driver does; a Pipeline-like host is a Jenkins build
 * whose lease survives the restart, driven by the engine's {@link BodyDriver} with the body's record the previous host
 * saved (as program.dat keeps it).
 */
final class RestartWorld {
    static final EnvironmentName ENV = EnvironmentName.of("shop");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BUILD = "jenkins:shop/deploy#7";

    /** What is deployed. */
    enum Scenario {
        /** A healthy version, with one files backup before it. */
        GOOD("v2"),
        /** A version whose health check fails: it trips and is reverted to the adopted v1. */
        BAD("v2 bad"),
        /** A healthy version whose deploy is cut off: its agent is lost before the deploy's end is known. */
        LOST("v2");

        private final String version;

        Scenario(final String version) {
            this.version = version;
        }
    }

    /** The kind of host. */
    enum Flavour {
        /** A command-line run: its deploy command cannot be re-attached to; it reverts by a nested guarded deploy. */
        CLI(false),
        /** A Pipeline build: its body resumes and reports its end; it reverts by scheduling a reverting build. */
        PIPELINE(true);

        private final boolean deployResumes;

        Flavour(final boolean deployResumes) {
            this.deployResumes = deployResumes;
        }
    }

    /** Where the crash comes: before the write reaches the disk, or once it is durable. */
    enum Side {
        BEFORE,
        AFTER
    }

    /**
     * A side effect a host caused.
     *
     * @param host
     *         1 (the one that crashes) or 2 (the one that resumes)
     * @param kind
     *         what
     * @param key
     *         of what: a backup key, a point id, {@code TYPE#point} for a notification
     */
    record Effect(int host, Kind kind, String key) {
        /** Kinds of side effects. */
        enum Kind {
            BACKUP,
            DEPLOY,
            REVERT,
            NOTICE
        }
    }

    private final Path ledgerDir;
    private final Path storeDir;
    private final Path artifactDir;
    private final Path data;
    private final Path installed;
    private final Scenario scenario;
    private final Flavour flavour;
    private final Policy policy;
    private final ArtifactRef v2;
    private final List<Effect> effects = Collections.synchronizedList(new ArrayList<>());
    private final Set<Long> revertingBuilds = ConcurrentHashMap.newKeySet();
    /** The Pipeline-like host's record of its body, kept as a Pipeline keeps it in program.dat: it survives crashes. */
    private volatile boolean bodyLaunched;
    private volatile String bodyEnd;

    RestartWorld(final Path root, final Scenario scenario, final Flavour flavour, final HealthServer app) {
        this.scenario = scenario;
        this.flavour = flavour;
        this.ledgerDir = root.resolve("ledger");
        this.storeDir = root.resolve("backups");
        this.artifactDir = root.resolve("artifacts");
        this.data = root.resolve("uploads");
        this.installed = root.resolve("installed");
        try {
            Files.createDirectories(data.resolve("img"));
            Files.writeString(data.resolve("img/logo.txt"), "logo");
            Files.writeString(data.resolve("terms.txt"), "terms of v1");
            FileArtifactStore artifacts = new FileArtifactStore(artifactDir);
            ArtifactRef v1 = artifacts.put(Files.writeString(root.resolve("shop-v1.txt"), "v1"));
            this.v2 = artifacts.put(Files.writeString(root.resolve("shop-v2.txt"), scenario.version));
            Files.writeString(installed, "v1");
            app.serveFrom(installed);
            Ledger.open(ledgerDir, quiet("seed")).record(RollbackPoint.builder(ENV, PointSource.cli("adopt-v1"))
                    .artifacts(List.of(v1)).adopted(), "alice", "v1 runs");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpProbeSpec health = HttpProbeSpec.get("health", app.url(), null,
                AnalysisSettings.builder().interval("20ms").count(3).build());
        List<BackupSpec> backups = scenario == Scenario.GOOD ? List.of(FilesBackupSpec.of(data)) : List.of();
        this.policy = new Policy(ENV, List.of(health), backups, null, null, null, null, null, null, null, null, null,
                null, "5s", null, null, null);
    }

    private static Ledger.Options quiet(final String owner) {
        // a crashed host is a process that dies, not a machine that loses power: the page cache keeps its writes
        return Ledger.Options.defaults().withFsync(false).withOwner(owner).withWarnings(warning -> { });
    }

    private DeployRequest request() {
        PointSource source = flavour == Flavour.CLI ? PointSource.cli("deploy-v2") : PointSource.jenkins("shop/deploy", 7);
        return new DeployRequest(source, List.of(v2), null, Map.of(), "alice", null, 0, "manual", null, Map.of());
    }

    /**
     * Where a host crashes.
     *
     * @param write
     *         the write of that host (from 1) at which it crashes
     * @param side
     *         before or after that write
     */
    record Crash(int write, Side side) {
        @Override
        public String toString() {
            return side + " write " + write;
        }
    }

    /**
     * Runs the deploy on a first host that crashes at a write, then resumes it on a second host.
     *
     * @param crashAt
     *         the write (from 1) at which the first host crashes, or 0 for a run without a crash
     * @param side
     *         before or after that write
     * @return what happened
     */
    Run run(final int crashAt, final Side side) {
        return run(crashAt == 0 ? List.of() : List.of(new Crash(crashAt, side)));
    }

    /**
     * Runs the deploy on hosts that crash one after the other, each at its own write; the host after the last crash
     * resumes it to its end.
     *
     * @param crashes
     *         where host 1, 2, ... crash
     * @return what happened
     */
    Run run(final List<Crash> crashes) {
        List<Snapshot> befores = new ArrayList<>();
        List<List<String>> writes = new ArrayList<>();
        Host host = new Host(1, hook(crashes, 0));
        CompletableFuture<GuardOutcome> running = host.run(Optional.empty());
        try {
            for (int i = 0; i < crashes.size(); i++) {
                awaitCrash(host.hook, running);
                host.close(); // its pools stop, its process dies: nothing of it runs while the next host works
                writes.add(host.writes());
                host = new Host(i + 2, hook(crashes, i + 1));
                Snapshot before = snapshot(host.ledger);
                befores.add(before);
                running = host.run(before.deployPoint()); // nothing recorded: the run starts again
            }
            GuardOutcome outcome = await(running);
            Snapshot end = snapshot(host.ledger);
            writes.add(host.writes());
            return new Run(this, crashes, writes, befores, end, outcome);
        }
        finally {
            host.close();
        }
    }

    private static CrashHook hook(final List<Crash> crashes, final int host) {
        return host < crashes.size() ? new CrashHook(crashes.get(host).write(), crashes.get(host).side())
                : new CrashHook(0, Side.BEFORE);
    }

    /** Each write with its records' types and reasons, from the events that reached the disk. */
    private static List<String> labels(final List<List<LedgerEvent.Type>> writes, final List<LedgerEvent> events) {
        List<String> labels = new ArrayList<>();
        int next = 0;
        for (List<LedgerEvent.Type> types : writes) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < types.size() && next < events.size(); i++, next++) {
                LedgerEvent event = events.get(next);
                parts.add(event.type() + (event.to() != null ? " " + event.to() : "") + " '" + event.reason() + "'");
            }
            labels.add(parts.size() == types.size() ? String.join(" + ", parts) : types.toString()); // never on disk
        }
        return labels;
    }

    private static void awaitCrash(final CrashHook hook, final CompletableFuture<GuardOutcome> firstRun) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (!hook.crashed.await(10, TimeUnit.MILLISECONDS)) {
                if (firstRun.isDone()) {
                    throw new AssertionError("write %d never came: the run wrote %d times and ended with %s".formatted(
                            hook.crashAt, hook.seen.size(), describe(firstRun)));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("write %d did not come in %s".formatted(hook.crashAt, WAIT));
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String describe(final CompletableFuture<GuardOutcome> run) {
        try {
            return run.getNow(null).result().toString();
        }
        catch (RuntimeException e) {
            return String.valueOf(e.getCause());
        }
    }

    private static GuardOutcome await(final CompletableFuture<GuardOutcome> run) {
        try {
            return run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (ExecutionException e) {
            throw new AssertionError("the run failed: " + e.getCause(), e.getCause());
        }
        catch (TimeoutException e) {
            throw new AssertionError("the run did not end in " + WAIT, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The CLI-like host's side of the machine, as the blocking driver does it ({@code GuardSession}), asynchronously. */
    private CompletableFuture<GuardOutcome> drive(final Host host, final CompletableFuture<GuardMachine.Step> step) {
        return step.thenCompose(next -> {
            if (next instanceof GuardMachine.Done done) {
                return CompletableFuture.completedFuture(done.outcome());
            }
            if (!(next instanceof GuardMachine.Deploy deploy)) {
                throw new AssertionError("a host whose deploy does not resume was asked to await it: " + next);
            }
            CompletableFuture<GuardMachine.Step> ended = CompletableFuture.supplyAsync(() -> {
                host.deployCommand(deploy.point());
                return scenario == Scenario.LOST ? new GuardMachine.Interrupted(Interruption.AGENT_LOST,
                        "agent-7 went offline") : (GuardMachine.DeployEnd) new GuardMachine.Finished();
            }, host.work).thenCompose(end -> host.machine.deployEnded(deploy.point(), end));
            return drive(host, ended);
        });
    }

    private Snapshot snapshot(final Ledger ledger) {
        List<RollbackPoint> points = ledger.history(ENV, 0, 100);
        return new Snapshot(points.stream().filter(p -> p.id() > 1 && !p.isRevert()).findFirst(),
                points.stream().filter(RollbackPoint::isRevert).toList(), ledger.circuit(ENV), ledger.lease(ENV),
                new BackupStore(storeDir).list(ENV.value()), ledger.auditTrail(ENV));
    }

    int count(final Effect.Kind kind, final String key) {
        synchronized (effects) {
            return (int) effects.stream().filter(e -> e.kind() == kind && e.key().equals(key)).count();
        }
    }

    int countBy(final int host, final Effect.Kind kind, final String key) {
        return countHosts(host, host, kind, key);
    }

    int countHosts(final int from, final int to, final Effect.Kind kind, final String key) {
        synchronized (effects) {
            return (int) effects.stream().filter(e -> e.host() >= from && e.host() <= to && e.kind() == kind
                    && e.key().equals(key)).count();
        }
    }

    /**
     * What a run left.
     *
     * @param world
     *         the world it ran in
     * @param crashes
     *         where its hosts crashed
     * @param writes
     *         per host, its writes: with their reasons for a host that did not crash
     * @param befores
     *         the ledger as each resuming host found it (host 2, 3, ...)
     * @param end
     *         the ledger at the end
     * @param outcome
     *         the outcome of the last host
     */
    record Run(RestartWorld world, List<Crash> crashes, List<List<String>> writes, List<Snapshot> befores, Snapshot end,
               GuardOutcome outcome) {
        Scenario scenario() {
            return world.scenario;
        }

        Flavour flavour() {
            return world.flavour;
        }

        /** @return the ledger as the second host found it; the end for a run without a crash */
        Snapshot beforeResume() {
            return befores.isEmpty() ? end : befores.get(0);
        }

        int count(final Effect.Kind kind, final String key) {
            return world.count(kind, key);
        }

        int countBy(final int host, final Effect.Kind kind, final String key) {
            return world.countBy(host, kind, key);
        }

        /** @return how often hosts from this one on did it */
        int countFrom(final int host, final Effect.Kind kind, final String key) {
            return world.countHosts(host, Integer.MAX_VALUE, kind, key);
        }

        /** @return how often hosts up to this one did it */
        int countUpTo(final int host, final Effect.Kind kind, final String key) {
            return world.countHosts(1, host, kind, key);
        }

        /** @return the guard state of the deploy point as each resuming host found it (null: not recorded) */
        List<GuardState> statesBefore() {
            return befores.stream().map(s -> s.deployPoint().map(GuardState::of).orElse(null)).toList();
        }

        String describe() {
            StringBuilder text = new StringBuilder("%s deploy on a %s host".formatted(world.scenario, world.flavour));
            if (crashes.isEmpty()) {
                text.append(" without a crash");
            }
            for (int i = 0; i < crashes.size(); i++) {
                Crash crash = crashes.get(i);
                text.append(", host %d crashes %s %s".formatted(i + 1, crash, writes.get(i).get(crash.write() - 1)));
            }
            return text.toString();
        }
    }

    /**
     * The ledger at one moment.
     *
     * @param deployPoint
     *         the deploy's point, once recorded
     * @param revertPoints
     *         the points that revert it
     * @param circuit
     *         the circuit
     * @param lease
     *         the lease, if held
     * @param backups
     *         the backups committed in the store
     * @param events
     *         the whole audit trail
     */
    record Snapshot(Optional<RollbackPoint> deployPoint, List<RollbackPoint> revertPoints, Circuit circuit,
                    Optional<Lease> lease, List<BackupManifest> backups, List<LedgerEvent> events) {
        Optional<RollbackPoint> revertPoint() {
            return revertPoints.stream().findFirst();
        }

        List<String> notes(final long pointId) {
            return events.stream().filter(e -> e.type() == LedgerEvent.Type.NOTE && e.pointId() == pointId)
                    .map(LedgerEvent::reason).toList();
        }
    }

    /** What a host's crash is: an error no catch of the machine takes for a failure it can handle. */
    static final class HostCrash extends Error {
        private static final long serialVersionUID = 1L;

        HostCrash(final String message) {
            super(message, null, false, false);
        }
    }

    /** Counts a host's writes and crashes it at one; a crashed host writes nothing more. */
    private static final class CrashHook implements Ledger.WriteHook {
        private final int crashAt;
        private final Side side;
        private final List<List<LedgerEvent.Type>> seen = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch crashed = new CountDownLatch(1);
        private volatile Host host;
        private int count;
        private boolean dead;

        CrashHook(final int crashAt, final Side side) {
            this.crashAt = crashAt;
            this.side = side;
        }

        @Override
        public synchronized void before(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
            if (dead) {
                throw new HostCrash("host %d crashed: it writes nothing more".formatted(host.number));
            }
            count++;
            seen.add(List.copyOf(types));
            if (count == crashAt && side == Side.BEFORE) {
                crash();
            }
        }

        @Override
        public synchronized void after(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
            if (!dead && count == crashAt && side == Side.AFTER) {
                crash();
            }
        }

        private void crash() {
            dead = true;
            host.dead = true;
            crashed.countDown();
            throw new HostCrash("host %d crashed %s write %d".formatted(host.number, side, count));
        }
    }

    /** What one JVM would hold. */
    private final class Host implements AutoCloseable {
        private final int number;
        private final CrashHook hook;
        private final List<LedgerEvent> events = Collections.synchronizedList(new ArrayList<>());
        private final Process standIn;
        private final Ledger ledger;
        private final SystemScheduler scheduler = new SystemScheduler(1);
        private final ExecutorService samples;
        private final ExecutorService work;
        private final Timeline timeline;
        private final GuardSession session;
        private final GuardMachine machine;
        private volatile boolean dead;

        Host(final int number, final CrashHook hook) {
            this.number = number;
            this.hook = hook;
            hook.host = this;
            String ledgerOwner;
            LeaseOwners leases;
            if (flavour == Flavour.CLI) {
                try {
                    standIn = new ProcessBuilder("sleep", "600").start();
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                long pid = standIn.pid();
                long start = standIn.info().startInstant().orElseThrow().toEpochMilli();
                ledgerOwner = pid + ":" + start + "@" + LocalProcesses.HOST;
                leases = new LeaseOwners(LeaseOwners.CLI + LocalProcesses.HOST + ":" + pid + ":" + start,
                        LeaseOwners::isDeadProcess);
            }
            else {
                standIn = null;
                ledgerOwner = "controller"; // an owner the ledger never finds dead: the points stay as they were
                leases = new LeaseOwners(BUILD, OwnerLiveness.never()); // the same build resumes: its own lease
            }
            ledger = Ledger.open(ledgerDir, quiet(ledgerOwner).withWrites(hook).withEvents(events::add));
            samples = Executors.newFixedThreadPool(2, daemon("host-" + number + "-sample"));
            work = Executors.newSingleThreadExecutor(daemon("host-" + number + "-work"));
            GuardServices services = new GuardServices(ledger, new BackupStore(storeDir), new FileArtifactStore(artifactDir),
                    SecretSource.none(), new LocalCommandRunner(), scheduler, samples, GuardListener.silent(),
                    this::deliver, leases);
            timeline = new Timeline(scheduler::now, GuardListener.silent());
            session = new GuardSession(services, policy, timeline);
            machine = session.machine(new MachineHost());
        }

        /**
         * Runs or resumes the deploy: a CLI-like host by the test's driver, a Pipeline-like one by the engine's
         * {@link BodyDriver} with the body's record the previous host saved.
         *
         * @param recorded
         *         the point to resume, or empty to start the deploy
         * @return completes with the outcome
         */
        CompletableFuture<GuardOutcome> run(final Optional<RollbackPoint> recorded) {
            if (flavour == Flavour.CLI) {
                return drive(this, recorded.isPresent() ? machine.resume(ENV, recorded.get().id(), false)
                        : machine.start(request(), false));
            }
            PipelineBody body = new PipelineBody();
            BodyDriver driver = new BodyDriver(body, work, bodyLaunched, bodyEnd);
            body.driver = driver;
            if (recorded.isPresent()) {
                driver.resume(machine, recorded.get());
            }
            else {
                driver.start(machine, request());
            }
            return body.done;
        }

        /** @return this host's writes: types and reasons of those that reached the disk, types of the others */
        List<String> writes() {
            return labels(hook.seen, events);
        }

        private void effect(final Effect.Kind kind, final String key) {
            if (dead) {
                throw new HostCrash("host %d crashed: it does nothing more".formatted(number));
            }
            effects.add(new Effect(number, kind, key));
        }

        private CompletableFuture<Void> deliver(final GuardEvent event) {
            effect(Effect.Kind.NOTICE, event.type() + "#" + event.pointId());
            return CompletableFuture.completedFuture(null);
        }

        /** The deploy command: installs the point's artifact where the application runs it from. */
        private String deployCommand(final RollbackPoint point) {
            effect(Effect.Kind.DEPLOY, Long.toString(point.id()));
            try {
                Path artifact = new FileArtifactStore(artifactDir).locate(point.artifacts().get(0)).orElseThrow();
                Files.copy(artifact, installed, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        }

        @Override
        public void close() {
            dead = true;
            scheduler.close();
            samples.shutdownNow();
            work.shutdownNow();
            try {
                // A nested revert whose watch died with its sample thread keeps its loop's thread waiting (that loop
                // outlives interrupts by design): it is left behind, a daemon that writes nothing more.
                work.awaitTermination(500, TimeUnit.MILLISECONDS);
                samples.awaitTermination(500, TimeUnit.MILLISECONDS);
                if (standIn != null) {
                    standIn.destroyForcibly();
                    standIn.waitFor(10, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The machine's host: real probes, real backups, the counted deploy command and reverter. */
        private final class MachineHost implements GuardMachine.Host {
            @Override
            public Probe probe(final ProbeSpec spec) {
                return session.probes().create(spec);
            }

            @Override
            public BackupManifest takeBackup(final BackupSpec spec, final String key) {
                effect(Effect.Kind.BACKUP, key);
                GuardServices services = session.services();
                return services.backups().take(ENV.value(), spec, new BackupContext(services.secrets(),
                        services.runner(), services.scheduler(), services.listener(), key));
            }

            @Override
            public Optional<BackupManifest> findBackup(final BackupSpec spec, final String key) {
                return session.services().backups().list(ENV.value()).stream()
                        .filter(manifest -> key.equals(manifest.label())).findFirst();
            }

            @Override
            public Reverter reverter() {
                return flavour == Flavour.CLI ? new NestedReverter() : new RevertingBuild();
            }

            @Override
            public java.util.concurrent.Executor work() {
                return work;
            }

            @Override
            public boolean deployResumes() {
                return flavour.deployResumes;
            }
        }

        /**
     * As the CLI reverts ({@code CliReverter}): a guarded deploy of the target's artifact, holding the lease of the bad
     * deploy; after a restart, the revert point's own machine is resumed.
     */
        private final class NestedReverter implements Reverter {
            @Override
            public GuardOutcome revert(final RevertPlan.Revert plan) {
                effect(Effect.Kind.REVERT, Long.toString(plan.leaving().id()));
                RollbackPoint target = plan.target();
                DeployRequest request = new DeployRequest(PointSource.cli("revert-%d-to-%d".formatted(
                        plan.leaving().id(), target.id())), target.artifacts(), target.gitCommit(), target.parameters(),
                        "guard", null, plan.leaving().id(), RollbackPlanner.AUTO, target.dataVersion(), Map.of());
                Reverter never = nested -> {
                    throw new IllegalStateException("a revert never starts another revert");
                };
                return new GuardSession(session.services(), policy, timeline).run(request, Host.this::deployCommand,
                        never, true);
            }

            /** As the CLI resumes a revert its predecessor started: the revert point's machine goes on. */
            @Override
            public Optional<GuardOutcome> resume(final RollbackPoint leaving, final RollbackPoint revertPoint) {
                if (revertPoint == null) {
                    return Optional.empty();
                }
                Reverter never = nested -> {
                    throw new IllegalStateException("a revert never starts another revert");
                };
                return Optional.of(new GuardSession(session.services(), policy, timeline).resume(ENV, revertPoint.id(),
                        Host.this::deployCommand, never, true));
            }
        }

        /**
         * The Pipeline block: started by the driver, it runs the deploy command on the work pool and reports its end;
         * its record is saved as the host's state is (a dead host saves nothing more).
         */
        private final class PipelineBody implements BodyDriver.Body {
            private final CompletableFuture<GuardOutcome> done = new CompletableFuture<>();
            private volatile BodyDriver driver;

            @Override
            public void start(final RollbackPoint point) {
                work.execute(() -> {
                    driver.started();
                    deployCommand(point);
                    driver.ended(scenario == Scenario.LOST ? new GuardMachine.Interrupted(Interruption.AGENT_LOST,
                            "agent-7 went offline") : new GuardMachine.Finished());
                });
            }

            @Override
            public void cancel(final String reason) {
                // the body runs only as long as its deploy command: nothing to stop
            }

            @Override
            public void remember(final boolean launched, final String end) {
                if (!dead) {
                    bodyLaunched = launched;
                    bodyEnd = end;
                }
            }

            @Override
            public void done(final GuardOutcome outcome) {
                done.complete(outcome);
            }

            @Override
            public void failed(final Throwable failure) {
                done.completeExceptionally(failure);
            }
        }

        /** As Jenkins reverts: a reverting build is queued (and known after a restart); it judges itself. */
        private final class RevertingBuild implements Reverter {
            @Override
            public GuardOutcome revert(final RevertPlan.Revert plan) {
                effect(Effect.Kind.REVERT, Long.toString(plan.leaving().id()));
                revertingBuilds.add(plan.leaving().id());
                return new GuardOutcome(GuardOutcome.Result.REVERTING, plan.leaving(), "reverting build queued", null,
                        List.of(), null);
            }

            @Override
            public Optional<GuardOutcome> resume(final RollbackPoint leaving, final RollbackPoint revertPoint) {
                return revertingBuilds.contains(leaving.id())
                        ? Optional.of(new GuardOutcome(GuardOutcome.Result.REVERTING, leaving,
                        "the reverting build queued before the restart goes on", null, List.of(), null))
                        : Optional.empty();
            }
        }
    }

    private static ThreadFactory daemon(final String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((dead, e) -> {
                if (!(e instanceof HostCrash)) { // a crash ends a task handed to the pool by execute(): that is all
                    e.printStackTrace();
                }
            });
            return thread;
        };
    }
}
