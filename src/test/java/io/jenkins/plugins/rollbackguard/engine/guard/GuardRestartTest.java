package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Crash;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Effect;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Flavour;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Run;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Scenario;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Side;
import io.jenkins.plugins.rollbackguard.engine.guard.RestartWorld.Snapshot;
import io.jenkins.plugins.rollbackguard.engine.health.WatchState;
import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/**
 * Restarts of the guard machine's host at every one of its ledger writes. A host is a ledger instance, pools, a
 * session and a machine of its own ({@link RestartWorld}); it crashes by an error thrown from the ledger's write hook
 * just before the N-th write reaches the disk or just after it is durable, and does nothing after. A new host opens
 * the same directory and resumes the point (or starts again when nothing was recorded). Each side effect is then
 * checked against the ledger and the counters the test keeps: backups, deploy commands, reverts and notifications
 * happen as often as the machine promises, and the point always ends decided, with its lease free. Each series also
 * checks that its crashes reached every way of resuming it is meant to test.
 */
@Tag("slow")
class GuardRestartTest {
    private static HealthServer app;

    @TempDir
    private Path root;

    private int worlds;

    @BeforeAll
    static void startApp() throws IOException {
        app = new HealthServer();
    }

    @AfterAll
    static void stopApp() {
        app.close();
    }

    @TestFactory
    Stream<DynamicNode> shouldResumeAGoodDeployWithABackupAfterACrashAtEveryWrite() {
        return Stream.of(Flavour.values()).map(flavour -> crashes(Scenario.GOOD, flavour));
    }

    @TestFactory
    Stream<DynamicNode> shouldResumeABadDeployAndItsRevertAfterACrashAtEveryWrite() {
        return Stream.of(Flavour.values()).map(flavour -> crashes(Scenario.BAD, flavour));
    }

    @TestFactory
    Stream<DynamicNode> shouldResumeADeployWhoseAgentWasLostAfterACrashAtEveryWrite() {
        return Stream.of(Flavour.values()).map(flavour -> crashes(Scenario.LOST, flavour));
    }

    /** The writes of a resumed machine can be cut short too: the host that resumes crashes at each of its writes. */
    @TestFactory
    Stream<DynamicNode> shouldKeepItsPromisesWhenTheResumingHostCrashesToo() {
        return Stream.<java.util.function.Supplier<DynamicNode>>of(
                () -> twice(Scenario.GOOD, Flavour.CLI, "DEPLOYING", Side.AFTER), // the deploy is in doubt
                () -> twice(Scenario.BAD, Flavour.CLI, "revert to #1 started", Side.AFTER), // the revert is in doubt
                () -> twice(Scenario.BAD, Flavour.PIPELINE, "STATUS_CHANGED BAD", Side.AFTER), // the trip goes on
                () -> twice(Scenario.LOST, Flavour.PIPELINE, "interrupted", Side.AFTER)) // the interruption goes on
                .map(java.util.function.Supplier::get);
    }

    /** Runs the scenario once to count its writes, then crashes it before and after each of them. */
    private DynamicNode crashes(final Scenario scenario, final Flavour flavour) {
        Set<String> paths = ConcurrentHashMap.newKeySet();
        Run counted = world(scenario, flavour).run(0, Side.BEFORE);
        List<String> writes = counted.writes().get(0);
        System.out.printf("%s deploy on a %s host: %d writes%n", scenario, flavour, writes.size());
        for (int n = 0; n < writes.size(); n++) {
            System.out.printf("  %2d %s%n", n + 1, writes.get(n));
        }
        Stream<DynamicNode> runs = Stream.concat(Stream.of(dynamicTest("without a crash", () -> check(counted, paths))),
                IntStream.rangeClosed(1, writes.size()).boxed().flatMap(n -> Stream.of(Side.values())
                        .map(side -> dynamicTest("crash %s write %d: %s".formatted(side, n, writes.get(n - 1)),
                                () -> check(world(scenario, flavour).run(n, side), paths)))));
        DynamicNode covered = dynamicTest("the crashes reached every way of resuming", () ->
                assertThat(paths).as("the ways of resuming the crashes reached").containsAll(expectedPaths(scenario, flavour)));
        return dynamicContainer("%s deploy, %s host, %d writes".formatted(scenario, flavour, writes.size()),
                Stream.concat(runs, Stream.of(covered)));
    }

    /** Crashes a host at one write, then the host that resumes at each of its own writes; a third one ends it. */
    private DynamicNode twice(final Scenario scenario, final Flavour flavour, final String firstWrite, final Side side) {
        List<String> writes = world(scenario, flavour).run(0, Side.BEFORE).writes().get(0);
        int n = IntStream.range(0, writes.size()).filter(i -> writes.get(i).contains(firstWrite)).findFirst()
                .orElseThrow(() -> new AssertionError("no write " + firstWrite + " in " + writes)) + 1;
        Crash first = new Crash(n, side);
        Run once = world(scenario, flavour).run(List.of(first));
        List<String> resumed = once.writes().get(1);
        System.out.printf("%s deploy on a %s host resumed after a crash %s %s: %d writes%n", scenario, flavour, first,
                writes.get(n - 1), resumed.size());
        for (int m = 0; m < resumed.size(); m++) {
            System.out.printf("  %2d %s%n", m + 1, resumed.get(m));
        }
        return dynamicContainer("%s deploy, %s host crashes %s %s, then its resuming host at each of %d writes"
                        .formatted(scenario, flavour, first, writes.get(n - 1), resumed.size()),
                Stream.concat(Stream.of(dynamicTest("then no crash", () -> check(once, ConcurrentHashMap.newKeySet()))),
                        IntStream.rangeClosed(1, resumed.size()).boxed().flatMap(m -> Stream.of(Side.values())
                                .map(second -> dynamicTest("then crash %s write %d: %s".formatted(second, m,
                                        resumed.get(m - 1)), () -> check(world(scenario, flavour)
                                        .run(List.of(first, new Crash(m, second))), ConcurrentHashMap.newKeySet()))))));
    }

    /**
     * A real process: a child JVM runs a guarded deploy as the CLI does and is SIGKILLed during its watch, once the
     * ledger keeps some of its samples; this JVM resumes the point. The samples taken before the kill are kept, only
     * the rest are taken here, and the watch reaches its verdict.
     */
    @Test
    void shouldResumeTheWatchOfASigkilledDeployKeepingTheSamplesItTook() throws Exception {
        Path home = Files.createDirectories(root.resolve("process"));
        Path installed = Files.writeString(home.resolve("installed"), "v1");
        app.serveFrom(installed);
        ArtifactRef v1 = new FileArtifactStore(home.resolve("artifacts")).put(Files.writeString(home.resolve("v1.txt"), "v1"));
        Ledger.open(home.resolve("ledger")).record(RollbackPoint.builder(GuardedDeployProcess.ENV,
                PointSource.cli("adopt-v1")).artifacts(List.of(v1)).adopted(), "alice", "v1 runs");
        Ledger watching = Ledger.open(home.resolve("ledger"));

        child = GuardedDeployProcess.start(home.toString(), app.url(), installed.toString());
        List<String> printed = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8)).lines().forEach(printed::add));
        reader.setDaemon(true);
        reader.start();
        // the second write of the watch state comes 5 s after the first, with the samples taken meanwhile
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .failFast("the child ended", () -> !child.isAlive())
                .until(() -> samplesKept(watching) >= 2);
        child.destroyForcibly(); // SIGKILL: no release, no finally, no last write
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300); // a request the child sent before it died may still be counted by the server
        int requestsAtKill = app.requests();
        int kept = samplesKept(watching);
        assertThat(kept).as("samples kept by the ledger").isBetween(2, GuardedDeployProcess.SAMPLES - 1);
        assertThat(printed).as("the child was killed during its watch").noneMatch(line -> line.startsWith("DONE"));
        System.out.printf("SIGKILLed child: %d of %d samples kept in the ledger%n", kept, GuardedDeployProcess.SAMPLES);

        SystemScheduler scheduler = new SystemScheduler(2);
        ExecutorService samples = Executors.newFixedThreadPool(2);
        try {
            GuardServices services = GuardedDeployProcess.services(home, scheduler, samples, GuardListener.silent());
            AtomicInteger deploys = new AtomicInteger();
            GuardOutcome outcome = new GuardSession(services, GuardedDeployProcess.policy(app.url()),
                    new Timeline(scheduler::now, GuardListener.silent())).resume(GuardedDeployProcess.ENV, 2, point -> {
                        deploys.incrementAndGet();
                        return null;
                    }, plan -> {
                        throw new IllegalStateException("a healthy deploy is never reverted");
                    }, false);

            assertThat(outcome.result()).isEqualTo(GuardOutcome.Result.GOOD);
            assertThat(deploys).as("a deploy being watched is not deployed again").hasValue(0);
            RollbackPoint point = services.ledger().point(GuardedDeployProcess.ENV, 2);
            assertThat(point.status()).isEqualTo(PointStatus.GOOD);
            assertThat(GuardState.of(point).phase()).isEqualTo(GuardState.Phase.DONE);
            assertThat(samplesKept(services.ledger())).isEqualTo(GuardedDeployProcess.SAMPLES);
            assertThat(outcome.watch().verdicts()).singleElement()
                    .satisfies(verdict -> assertThat(verdict.measurements()).hasSize(GuardedDeployProcess.SAMPLES));
            assertThat(app.requests() - requestsAtKill).as("samples taken after the restart")
                    .isEqualTo(GuardedDeployProcess.SAMPLES - kept);
            assertThat(point.attributes().get(GuardSession.MEASUREMENT + "health"))
                    .contains("(%d samples)".formatted(GuardedDeployProcess.SAMPLES));
            List<LedgerEvent> trail = services.ledger().auditTrail(GuardedDeployProcess.ENV);
            assertThat(trail).as("the ledger found the child's point orphaned")
                    .anySatisfy(e -> assertThat(e.to()).isEqualTo(PointStatus.INTERRUPTED));
            assertThat(trail).as("its lease taken over from the dead child").anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(LedgerEvent.Type.LEASE_TAKEN);
                assertThat(e.reason()).contains("taken over").contains(":" + child.pid() + ":").contains("found dead");
            });
            assertThat(services.ledger().lease(GuardedDeployProcess.ENV)).isEmpty();
        }
        finally {
            scheduler.close();
            samples.shutdownNow();
        }
    }

    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    private static int samplesKept(final Ledger ledger) {
        if (ledger.size(GuardedDeployProcess.ENV) < 2) {
            return 0; // not recorded yet
        }
        String text = ledger.point(GuardedDeployProcess.ENV, 2).attributes().get(GuardState.WATCH);
        return text == null ? 0 : WatchState.readSnapshots(text).get("health").measurements().size();
    }

    private RestartWorld world(final Scenario scenario, final Flavour flavour) {
        return new RestartWorld(root.resolve("world-" + ++worlds), scenario, flavour, app);
    }

    private static List<String> expectedPaths(final Scenario scenario, final Flavour flavour) {
        List<String> paths = new ArrayList<>(List.of("started again"));
        paths.addAll(flavour == Flavour.CLI ? List.of("lease taken over", "deploy in doubt")
                : List.of("lease re-confirmed", "body awaited"));
        paths.add(scenario == Scenario.LOST ? "interruption resumed" : "watch resumed");
        if (scenario == Scenario.LOST) {
            return paths;
        }
        if (scenario == Scenario.GOOD) {
            paths.addAll(List.of("backup adopted", "backup taken after its start was recorded"));
        }
        else {
            paths.addAll(List.of("trip resumed", "notice sent again", "revert in doubt",
                    flavour == Flavour.CLI ? "revert point taken" : "reverting build found"));
            if (flavour == Flavour.CLI) {
                paths.addAll(List.of("revert resumed", "revert's deploy in doubt"));
            }
        }
        return paths;
    }

    /** Every promise of the machine about its side effects, for a run and the crashes in it. */
    private static void check(final Run run, final Set<String> paths) {
        Snapshot after = run.end();
        RollbackPoint point = after.deployPoint().orElseThrow(() -> new AssertionError("no deploy point was recorded"));
        GuardState state = GuardState.of(point);
        String why = run.describe();

        // the end: decided, the machine done, the lease free
        assertThat(point.status().isInFlight()).as("%s: status %s", why, point.status()).isFalse();
        assertThat(state.phase()).as(why).isEqualTo(GuardState.Phase.DONE);
        assertThat(state.result()).as(why).isEqualTo(run.outcome().result().name());
        assertThat(after.lease()).as("%s: the lease is released", why).isEmpty();
        after.revertPoint().ifPresent(revert -> {
            assertThat(revert.status().isInFlight()).as("%s: the revert point is %s", why, revert.status()).isFalse();
            assertThat(GuardState.of(revert).phase()).as("%s: the revert's machine", why).isEqualTo(GuardState.Phase.DONE);
        });

        List<GuardState> before = run.statesBefore();
        // a deploy found started whose end was not recorded: a CLI-like host cannot know it, a Pipeline awaits it
        int firstDeploying = firstIndex(before, s -> s.phase() == GuardState.Phase.DEPLOYING && s.interruption() == null);
        boolean deployInDoubt = run.flavour() == Flavour.CLI && firstDeploying >= 0;
        checkDeploy(run, point, deployInDoubt, firstDeploying, why, paths);
        if (run.scenario() == Scenario.LOST && !deployInDoubt) {
            assertThat(run.outcome().result()).as(why).isEqualTo(GuardOutcome.Result.FROZEN);
            assertThat(point.status()).as(why).isEqualTo(PointStatus.INTERRUPTED);
            assertThat(state.interruption()).as(why).isEqualTo(Interruption.AGENT_LOST);
            assertThat(after.circuit().isOpen()).as("%s: the environment is frozen", why).isTrue();
            assertThat(after.circuit().reason()).as(why).contains(point.label())
                    .contains("the agent that ran the deploy was lost");
            assertThat(point.attributes()).as("%s: an interrupted deploy is never watched", why)
                    .doesNotContainKey(GuardState.WATCH);
        }
        if (firstIndex(before, s -> s.interruption() != null && s.phase() != GuardState.Phase.DONE) >= 0) {
            paths.add("interruption resumed");
        }
        if (run.scenario() == Scenario.GOOD) {
            checkBackup(run, point, state, why, paths);
            assertThat(run.outcome().result()).as(why)
                    .isEqualTo(deployInDoubt ? GuardOutcome.Result.FROZEN : GuardOutcome.Result.GOOD);
        }
        else if (run.scenario() == Scenario.BAD && !deployInDoubt) {
            checkRevert(run, point, state, why, paths);
        }
        checkNotices(run, point, state, deployInDoubt, why, paths);

        if (run.befores().stream().anyMatch(s -> s.deployPoint().isEmpty())) {
            paths.add("started again");
        }
        if (firstIndex(before, s -> s.phase() == GuardState.Phase.WATCHING) >= 0) {
            paths.add("watch resumed");
        }
        if (firstIndex(before, s -> s.phase() == GuardState.Phase.JUDGING) >= 0) {
            paths.add("trip resumed");
        }
        if (!run.crashes().isEmpty()) {
            for (LedgerEvent event : after.events()) {
                if (event.type() == LedgerEvent.Type.LEASE_TAKEN && event.reason().contains("taken over")) {
                    paths.add("lease taken over");
                }
                if (event.type() == LedgerEvent.Type.LEASE_RENEWED && event.reason().contains("re-confirmed")) {
                    paths.add("lease re-confirmed");
                }
            }
        }
    }

    /** The deploy command never runs twice; a CLI-like host finds one started before its restart in doubt. */
    private static void checkDeploy(final Run run, final RollbackPoint point, final boolean inDoubt,
                                    final int firstDeploying, final String why, final Set<String> paths) {
        String id = Long.toString(point.id());
        int started = run.count(Effect.Kind.DEPLOY, id);
        assertThat(started).as("%s: deploy commands started", why).isLessThanOrEqualTo(1);
        if (inDoubt) {
            paths.add("deploy in doubt");
            assertThat(run.outcome().result()).as(why).isEqualTo(GuardOutcome.Result.FROZEN);
            assertThat(point.status()).as(why).isEqualTo(PointStatus.INTERRUPTED);
            assertThat(run.end().circuit().isOpen()).as("%s: the environment is frozen", why).isTrue();
            assertThat(run.end().circuit().reason()).as(why).contains(point.label())
                    .contains("cannot know how it ended").contains("reset the circuit");
            assertThat(run.countFrom(firstDeploying + 2, Effect.Kind.DEPLOY, id))
                    .as("%s: a deploy found started is not started again", why).isZero();
            return;
        }
        if (point.status() != PointStatus.ABORTED) {
            assertThat(started).as("%s: the deploy went on, so it ran once", why).isEqualTo(1);
        }
        if (run.flavour() == Flavour.PIPELINE && firstDeploying >= 0) {
            paths.add("body awaited"); // its end reached the resumed machine: the checks above saw it judged
        }
    }

    /** One backup per key, never taken again once committed, and present when the deploy went on. */
    private static void checkBackup(final Run run, final RollbackPoint point, final GuardState state, final String why,
                                    final Set<String> paths) {
        String key = "point-%d.1".formatted(point.id());
        List<BackupManifest> committed = run.end().backups().stream().filter(m -> key.equals(m.label())).toList();
        assertThat(committed).as("%s: backups committed under %s", why, key).hasSizeLessThanOrEqualTo(1);
        assertThat(run.count(Effect.Kind.BACKUP, key)).as("%s: backups taken", why).isLessThanOrEqualTo(1);
        List<GuardState> before = run.statesBefore();
        for (int i = 0; i < before.size(); i++) {
            boolean there = run.befores().get(i).backups().stream().anyMatch(m -> key.equals(m.label()));
            boolean startedOnly = before.get(i) != null && GuardState.STARTED.equals(before.get(i).backups().get(key));
            if (there) {
                assertThat(run.countFrom(i + 2, Effect.Kind.BACKUP, key))
                        .as("%s: committed before host %d resumed, so adopted", why, i + 2).isZero();
            }
            if (there && startedOnly) {
                paths.add("backup adopted");
            }
            if (!there && startedOnly) {
                paths.add("backup taken after its start was recorded");
            }
        }
        if (state.deployStartedAt() != null) {
            assertThat(committed).as("%s: the deploy went on: its backup exists", why).hasSize(1);
            String id = committed.get(0).id();
            assertThat(point.backups()).as(why).singleElement().satisfies(ref -> assertThat(ref.id()).isEqualTo(id));
            assertThat(state.backups()).as(why).containsExactly(Map.entry(key, id));
            assertThat(run.count(Effect.Kind.BACKUP, key)).as(why).isEqualTo(1);
        }
    }

    /** A revert is never started twice; one started with no known end leaves the environment frozen, in doubt. */
    private static void checkRevert(final Run run, final RollbackPoint bad, final GuardState state, final String why,
                                    final Set<String> paths) {
        String badId = Long.toString(bad.id());
        Snapshot after = run.end();
        assertThat(run.count(Effect.Kind.REVERT, badId)).as("%s: reverts started", why).isLessThanOrEqualTo(1);
        assertThat(after.revertPoints()).as("%s: revert points", why).hasSizeLessThanOrEqualTo(1);
        after.revertPoint().ifPresent(revert -> assertThat(run.count(Effect.Kind.DEPLOY, Long.toString(revert.id())))
                .as("%s: deploys of the revert", why).isLessThanOrEqualTo(1));
        List<GuardState> before = run.statesBefore();
        int firstStarted = firstIndex(before, s -> s.revert() != null);
        if (firstStarted >= 0) {
            assertThat(run.countFrom(firstStarted + 2, Effect.Kind.REVERT, badId))
                    .as("%s: a revert recorded as started is never started again", why).isZero();
        }
        int last = before.size() - 1;
        String revertBefore = last < 0 || before.get(last) == null ? null : before.get(last).revert();
        boolean startedWithoutResult = revertBefore != null && revertBefore.matches("started:\\d+");
        Optional<RollbackPoint> revertPointBefore = last < 0 ? Optional.empty() : run.befores().get(last).revertPoint();
        boolean revertDecidedBefore = revertPointBefore
                .filter(p -> !p.status().isInFlight() && p.status() != PointStatus.INTERRUPTED).isPresent();
        // a CLI-like host resumes the revert point's machine; a Pipeline-like one finds the reverting build it queued
        boolean revertKnown = run.flavour() == Flavour.CLI ? revertPointBefore.isPresent()
                : run.countUpTo(last + 1, Effect.Kind.REVERT, badId) > 0;
        // a revert point whose own deploy had started: the CLI-like host cannot know how that ended either
        boolean revertDeployInDoubt = run.flavour() == Flavour.CLI && !revertDecidedBefore && revertPointBefore
                .map(GuardState::of).filter(s -> s.phase() == GuardState.Phase.DEPLOYING).isPresent();
        boolean doubtedBefore = firstIndex(before, s -> "in doubt".equals(s.revert())) >= 0;
        if (startedWithoutResult && !revertKnown || doubtedBefore) {
            paths.add("revert in doubt");
            assertThat(run.outcome().result()).as(why).isEqualTo(GuardOutcome.Result.REVERT_FAILED);
            assertThat(state.revert()).as(why).isEqualTo("in doubt");
            assertThat(after.circuit().isOpen()).as(why).isTrue();
            assertThat(after.notes(bad.id())).as("%s: a note says the revert is in doubt", why)
                    .anySatisfy(note -> assertThat(note).contains("its end is not known").contains("stays frozen"));
            return;
        }
        if (startedWithoutResult) {
            paths.add(run.flavour() == Flavour.PIPELINE ? "reverting build found"
                    : revertDecidedBefore ? "revert point taken" : "revert resumed");
        }
        assertThat(run.count(Effect.Kind.REVERT, badId)).as("%s: the revert ran once", why).isEqualTo(1);
        if (startedWithoutResult && revertDeployInDoubt) {
            paths.add("revert's deploy in doubt");
            RollbackPoint revert = after.revertPoint().orElseThrow();
            assertThat(run.outcome().result()).as(why).isEqualTo(GuardOutcome.Result.REVERT_FAILED);
            assertThat(revert.status()).as(why).isEqualTo(PointStatus.INTERRUPTED);
            assertThat(GuardState.of(revert).result()).as(why).isEqualTo(GuardOutcome.Result.FROZEN.name());
            assertThat(run.countFrom(last + 2, Effect.Kind.DEPLOY, Long.toString(revert.id())))
                    .as("%s: a revert's deploy found started is not started again", why).isZero();
            assertThat(state.revert()).as(why).isEqualTo("started:1:FROZEN");
            assertThat(after.circuit().isOpen()).as(why).isTrue();
            return;
        }
        if (run.flavour() == Flavour.CLI) {
            assertThat(run.outcome().result()).as(why).isEqualTo(GuardOutcome.Result.REVERTED);
            assertThat(bad.status()).as(why).isEqualTo(PointStatus.REVERTED);
            RollbackPoint revert = after.revertPoint().orElseThrow();
            assertThat(revert.status()).as(why).isEqualTo(PointStatus.GOOD);
            assertThat(run.count(Effect.Kind.DEPLOY, Long.toString(revert.id()))).as(why).isEqualTo(1);
            assertThat(state.revert()).as(why).isEqualTo("started:1:GOOD");
        }
        else {
            assertThat(run.outcome().result()).as(why).isEqualTo(GuardOutcome.Result.REVERTING);
            assertThat(bad.status()).as(why).isEqualTo(PointStatus.BAD);
            assertThat(state.revert()).as(why).isEqualTo("started:1:REVERTING");
        }
        assertThat(after.circuit().isOpen()).as("%s: the environment stays frozen after a trip", why).isTrue();
    }

    /** Each notification at least once, once per host, and never again once its delivery was recorded. */
    private static void checkNotices(final Run run, final RollbackPoint point, final GuardState state,
                                     final boolean deployInDoubt, final String why, final Set<String> paths) {
        List<GuardEvent.Type> expected = new ArrayList<>();
        if (deployInDoubt || run.scenario() == Scenario.LOST) {
            expected.add(GuardEvent.Type.FREEZE);
        }
        else if (run.scenario() == Scenario.BAD) {
            expected.addAll(List.of(GuardEvent.Type.TRIP, GuardEvent.Type.FREEZE, GuardEvent.Type.REVERT_STARTED));
            if (run.outcome().result() != GuardOutcome.Result.REVERTING) {
                expected.add(GuardEvent.Type.REVERT_RESULT); // the revert's end, or that it is not known
            }
        }
        List<GuardState> before = run.statesBefore();
        for (GuardEvent.Type type : GuardEvent.Type.values()) {
            String key = type + "#" + point.id();
            int delivered = run.count(Effect.Kind.NOTICE, key);
            if (!expected.contains(type)) {
                assertThat(delivered).as("%s: %s delivered", why, type).isZero();
                continue;
            }
            assertThat(delivered).as("%s: %s delivered at least once", why, type).isGreaterThanOrEqualTo(1);
            int hosts = 0;
            for (int host = 1; host <= run.crashes().size() + 1; host++) {
                int by = run.countBy(host, Effect.Kind.NOTICE, key);
                assertThat(by).as("%s: %s delivered by host %d", why, type, host).isLessThanOrEqualTo(1);
                hosts += by;
            }
            if (hosts > 1) {
                paths.add("notice sent again");
            }
            for (int i = 0; i < before.size(); i++) {
                if (before.get(i) != null && GuardState.SENT.equals(before.get(i).notices().get(type.name()))) {
                    assertThat(run.countFrom(i + 2, Effect.Kind.NOTICE, key))
                            .as("%s: %s was recorded as sent before host %d resumed", why, type, i + 2).isZero();
                }
            }
            assertThat(state.notices()).as("%s: the delivery of %s is recorded", why, type)
                    .containsEntry(type.name(), GuardState.SENT);
        }
    }

    private static int firstIndex(final List<GuardState> states, final java.util.function.Predicate<GuardState> test) {
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i) != null && test.test(states.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
