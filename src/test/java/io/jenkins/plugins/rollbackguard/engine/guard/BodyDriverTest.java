package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;

import static io.jenkins.plugins.rollbackguard.engine.guard.AsyncHostFixture.ENV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests the class {@link BodyDriver}, the asynchronous driver the Pipeline step {@code withRollbackGuard} uses, with a
 * real guard machine on a real ledger: bodies end on other threads, as CPS reports them, and a restart is a new
 * process on the same files with only what the step keeps in {@code program.dat} (the body's record). These are the
 * engine twins of the step's ITests, which cannot run here: abort and {@code timeout} in the body
 * ({@code WithRollbackGuardInterruptionITest}), two builds to one environment ({@code WithRollbackGuardLeaseITest}),
 * a restart after the body ended ({@code WithRollbackGuardRestartITest}).
 */
class BodyDriverTest {
    private static final Duration END = Duration.ofSeconds(30);
    /** A probe whose watch lasts a few seconds, so that a restart falls into it. */
    private static final String WATCHED = "probes: [{type: command, name: smoke, command: ['true'], "
            + "analysis: {interval: 1s, count: 3}}]\n";

    @TempDir
    private Path root;

    private final Crash crash = new Crash();

    @Test
    void shouldWatchAFinishedBodyAndEndGood() {
        try (AsyncHostFixture host = new AsyncHostFixture(root, crash)) {
            FakeBody body = new FakeBody();
            BodyDriver driver = new BodyDriver(body, host.work(), false, null);
            GuardSession session = host.session("");

            driver.start(session.machine(host.host(session)), AsyncHostFixture.request(7));

            RollbackPoint deploying = body.awaitStart();
            assertThat(deploying.status()).isEqualTo(PointStatus.DEPLOYING);
            driver.started();
            endOnAnotherThread(driver, new GuardMachine.Finished());
            GuardOutcome outcome = body.awaitDone();
            assertThat(outcome.result()).isEqualTo(GuardOutcome.Result.GOOD);
            assertThat(host.ledger().point(ENV, deploying.id()).status()).isEqualTo(PointStatus.GOOD);
            assertThat(body.remembered).endsWith("true:finished");
            assertThat(body.starts).hasSize(1);
            assertThat(host.ledger().lease(ENV)).as("the lease is released").isEmpty();
        }
    }

    /** M1: CPS stops only the body's innermost step; the body's own interruption must give ABORTED. */
    @Test
    void shouldAbortWithoutTripWhenAPersonOrATimeoutStopsTheBody() {
        for (Interruption cause : List.of(Interruption.USER, Interruption.TIMEOUT, Interruption.SUPERSEDED)) {
            try (AsyncHostFixture host = new AsyncHostFixture(root.resolve(cause.name()), crash)) {
                FakeBody body = new FakeBody();
                BodyDriver driver = new BodyDriver(body, host.work(), false, null);
                GuardSession session = host.session("");
                driver.start(session.machine(host.host(session)), AsyncHostFixture.request(7));
                RollbackPoint deploying = body.awaitStart();
                driver.started();

                endOnAnotherThread(driver, new GuardMachine.Interrupted(cause, "by the test"));

                GuardOutcome outcome = body.awaitDone();
                assertThat(outcome.result()).as(cause.name()).isEqualTo(GuardOutcome.Result.ABORTED);
                assertThat(driver.interruptionOf(outcome)).contains(cause);
                RollbackPoint aborted = host.ledger().point(ENV, deploying.id());
                assertThat(aborted.status()).isEqualTo(PointStatus.ABORTED);
                assertThat(host.ledger().circuit(ENV).isOpen()).as("no trip, the circuit is unchanged").isFalse();
                assertThat(GuardState.of(aborted).revert()).as("nothing reverted").isNull();
            }
        }
    }

    /** A stop handed to the step cancels the body, and the step ends only once the body has ended. */
    @Test
    void shouldCancelTheBodyOnStopAndEndAfterTheBodyEnded() {
        try (AsyncHostFixture host = new AsyncHostFixture(root, crash)) {
            FakeBody body = new FakeBody();
            BodyDriver driver = new BodyDriver(body, host.work(), false, null);
            GuardSession session = host.session("");
            driver.start(session.machine(host.host(session)), AsyncHostFixture.request(7));
            RollbackPoint deploying = body.awaitStart();
            driver.started();

            driver.stop(Interruption.USER, "Aborted by alice");

            await().atMost(END).until(() -> !body.cancels.isEmpty());
            await().atMost(END).until(() -> host.ledger().point(ENV, deploying.id()).status() == PointStatus.ABORTED);
            assertThat(body.done).as("the step waits for the cancelled body").isNotDone();
            endOnAnotherThread(driver, new GuardMachine.Interrupted(Interruption.USER, "Aborted by alice"));
            assertThat(body.awaitDone().result()).isEqualTo(GuardOutcome.Result.ABORTED);
            assertThat(body.cancels).hasSize(1);
        }
    }

    /** A stop during the host's own preparation (before the machine exists) ends the deploy before it runs. */
    @Test
    void shouldNeverStartTheBodyWhenStoppedBeforeTheMachineStarts() {
        try (AsyncHostFixture host = new AsyncHostFixture(root, crash)) {
            FakeBody body = new FakeBody();
            BodyDriver driver = new BodyDriver(body, host.work(), false, null);
            driver.stop(Interruption.USER, "Aborted by alice");
            GuardSession session = host.session("");

            driver.start(session.machine(host.host(session)), AsyncHostFixture.request(7));

            assertThat(body.awaitDone().result()).isEqualTo(GuardOutcome.Result.ABORTED);
            assertThat(body.starts).isEmpty();
            assertThat(host.ledger().environments()).as("nothing was recorded, no lease taken").doesNotContain(ENV);
        }
    }

    /** A lost agent leaves the deploy's effect unknown: INTERRUPTED, frozen, nothing reverted. */
    @Test
    void shouldFreezeWhenTheAgentIsLost() {
        try (AsyncHostFixture host = new AsyncHostFixture(root, crash)) {
            FakeBody body = new FakeBody();
            BodyDriver driver = new BodyDriver(body, host.work(), false, null);
            GuardSession session = host.session("");
            driver.start(session.machine(host.host(session)), AsyncHostFixture.request(7));
            RollbackPoint deploying = body.awaitStart();

            endOnAnotherThread(driver, new GuardMachine.Interrupted(Interruption.AGENT_LOST, "Agent was removed"));

            assertThat(body.awaitDone().result()).isEqualTo(GuardOutcome.Result.FROZEN);
            assertThat(host.ledger().point(ENV, deploying.id()).status()).isEqualTo(PointStatus.INTERRUPTED);
            assertThat(host.ledger().circuit(ENV).isOpen()).isTrue();
            assertThat(host.ledger().circuit(ENV).reason()).contains("agent");
        }
    }

    /**
     * m1: the body ended and the step kept that (program.dat), but Jenkins stopped before the machine wrote
     * WATCHING; the resumed step hands the end to the rebuilt machine, which watches and decides. The body is not
     * started again.
     */
    @Test
    void shouldContinueTheWatchWhenRestartedAfterTheBodyEndedButBeforeWatching() {
        try (AsyncHostFixture host = new AsyncHostFixture(root, crash)) {
            FakeBody first = new FakeBody();
            BodyDriver driver = new BodyDriver(first, host.work(), false, null);
            GuardSession session = host.session("");
            driver.start(session.machine(host.host(session)), AsyncHostFixture.request(7));
            RollbackPoint deploying = first.awaitStart();
            driver.started();
            crash.beforeNextStatusChange();

            driver.ended(new GuardMachine.Finished());

            await().atMost(END).until(crash::happened);
            assertThat(host.ledger().point(ENV, deploying.id()).status()).isEqualTo(PointStatus.DEPLOYING);
            host.restart();
            crash.reset();
            FakeBody second = new FakeBody();
            String[] kept = first.lastRecord();
            BodyDriver resumed = new BodyDriver(second, host.work(), Boolean.parseBoolean(kept[0]), kept[1]);
            GuardSession again = host.session("");

            resumed.resume(again.machine(host.host(again)), host.ledger().point(ENV, deploying.id()));

            assertThat(second.awaitDone().result()).isEqualTo(GuardOutcome.Result.GOOD);
            assertThat(second.starts).as("the body is not run again").isEmpty();
            assertThat(second.cancels).isEmpty();
            assertThat(host.ledger().point(ENV, deploying.id()).status()).isEqualTo(PointStatus.GOOD);
        }
    }

    /** The body resumed with the build and reports its end only after the restart, maybe before the machine is back. */
    @Test
    void shouldTakeTheResumedBodysEndBeforeOrAfterTheMachineIsRebuilt() {
        for (boolean endFirst : List.of(true, false)) {
            try (AsyncHostFixture host = new AsyncHostFixture(root.resolve("end-first-" + endFirst), crash)) {
                FakeBody first = new FakeBody();
                BodyDriver driver = new BodyDriver(first, host.work(), false, null);
                GuardSession session = host.session("");
                driver.start(session.machine(host.host(session)), AsyncHostFixture.request(7));
                RollbackPoint deploying = first.awaitStart();
                driver.started();
                host.restart();
                FakeBody second = new FakeBody();
                BodyDriver resumed = new BodyDriver(second, host.work(), true, null);
                GuardSession again = host.session("");

                if (endFirst) {
                    resumed.ended(new GuardMachine.Finished()); // queued: no machine yet
                }
                resumed.resume(again.machine(host.host(again)), host.ledger().point(ENV, deploying.id()));
                if (!endFirst) {
                    endOnAnotherThread(resumed, new GuardMachine.Finished());
                }

                assertThat(second.awaitDone().result()).as("end first: %s", endFirst).isEqualTo(GuardOutcome.Result.GOOD);
                assertThat(second.starts).isEmpty();
            }
        }
    }

    /** DEPLOYING was written but the body never launched before the restart: the resumed step starts it. */
    @Test
    void shouldStartABodyThatNeverLaunchedBeforeTheRestart() {
        try (AsyncHostFixture host = new AsyncHostFixture(root, crash)) {
            FakeBody first = new FakeBody();
            BodyDriver driver = new BodyDriver(first, host.work(), false, null);
            GuardSession session = host.session("");
            driver.start(session.machine(host.host(session)), AsyncHostFixture.request(7));
            RollbackPoint deploying = first.awaitStart(); // asked, never launched
            host.restart();
            FakeBody second = new FakeBody();
            BodyDriver resumed = new BodyDriver(second, host.work(), false, null);
            GuardSession again = host.session("");

            resumed.resume(again.machine(host.host(again)), host.ledger().point(ENV, deploying.id()));

            assertThat(second.awaitStart().id()).isEqualTo(deploying.id());
            resumed.started();
            endOnAnotherThread(resumed, new GuardMachine.Finished());
            assertThat(second.awaitDone().result()).isEqualTo(GuardOutcome.Result.GOOD);
        }
    }

    /**
     * The ledger is ahead of program.dat: the body's end was handed over before the restart, but the program was
     * saved earlier, with the body running. The machine goes on from the ledger; the resumed copy of the body is
     * cancelled and its end ignored.
     */
    @Test
    void shouldLetTheLedgerWinOverAResumedBody() {
        try (AsyncHostFixture host = new AsyncHostFixture(root, crash)) {
            FakeBody first = new FakeBody();
            BodyDriver driver = new BodyDriver(first, host.work(), false, null);
            GuardSession session = host.session(WATCHED);
            driver.start(session.machine(host.host(session)), AsyncHostFixture.request(7));
            RollbackPoint deploying = first.awaitStart();
            driver.started();
            driver.ended(new GuardMachine.Finished());
            await().atMost(END).until(() -> host.ledger().point(ENV, deploying.id()).status() == PointStatus.WATCHING);
            host.restart();
            FakeBody second = new FakeBody();
            BodyDriver resumed = new BodyDriver(second, host.work(), true, null); // saved while the body ran
            GuardSession again = host.session(WATCHED);

            resumed.resume(again.machine(host.host(again)), host.ledger().point(ENV, deploying.id()));

            await().atMost(END).until(() -> !second.cancels.isEmpty());
            assertThat(second.cancels.get(0)).contains("the ledger has the end of the deploy");
            endOnAnotherThread(resumed, new GuardMachine.Failed("script returned exit code 143"));
            GuardOutcome outcome = second.awaitDone();
            assertThat(outcome.result()).as("the failed copy is not judged").isEqualTo(GuardOutcome.Result.GOOD);
            assertThat(second.starts).isEmpty();
        }
    }

    /** M4: a second build to the same environment waits for the first without a thread (one work thread here). */
    @Test
    void shouldSerialiseTwoBuildsToOneEnvironmentWithoutHoldingAThread() {
        try (AsyncHostFixture host = new AsyncHostFixture(root, crash, 1)) {
            FakeBody firstBody = new FakeBody();
            FakeBody secondBody = new FakeBody();
            BodyDriver first = new BodyDriver(firstBody, host.work(), false, null);
            BodyDriver second = new BodyDriver(secondBody, host.work(), false, null);
            GuardSession one = host.session("concurrent: wait\nlockTimeout: 5m\n", LeaseOwners.jenkins("app#7"));
            GuardSession two = host.session("concurrent: wait\nlockTimeout: 5m\n", LeaseOwners.jenkins("app#8"));
            first.start(one.machine(host.host(one)), AsyncHostFixture.request(7));
            RollbackPoint firstPoint = firstBody.awaitStart();

            second.start(two.machine(host.host(two)), AsyncHostFixture.request(8));

            await().pollDelay(Duration.ofMillis(800)).atMost(END).until(() -> true);
            assertThat(host.ledger().size(ENV)).as("the second build waits: no point of its own yet").isEqualTo(1);
            assertThat(secondBody.starts).isEmpty();
            endOnAnotherThread(first, new GuardMachine.Finished()); // needs the single work thread: none is held
            assertThat(firstBody.awaitDone().result()).isEqualTo(GuardOutcome.Result.GOOD);
            RollbackPoint secondPoint = secondBody.awaitStart();
            endOnAnotherThread(second, new GuardMachine.Finished());
            assertThat(secondBody.awaitDone().result()).isEqualTo(GuardOutcome.Result.GOOD);

            List<LedgerEvent> events = host.ledger().events(ENV, 100);
            long firstGood = indexOf(events, firstPoint.id(), PointStatus.GOOD);
            long secondRecorded = events.stream().filter(e -> e.type() == LedgerEvent.Type.POINT_RECORDED
                    && e.pointId() == secondPoint.id()).map(events::indexOf).findFirst().orElseThrow();
            assertThat(secondRecorded).as("the second is recorded only after the first's verdict")
                    .isGreaterThan(firstGood);
        }
    }

    @Test
    void shouldRefuseASecondBuildWhenThePolicySaysRefuse() {
        try (AsyncHostFixture host = new AsyncHostFixture(root, crash)) {
            FakeBody firstBody = new FakeBody();
            FakeBody secondBody = new FakeBody();
            BodyDriver first = new BodyDriver(firstBody, host.work(), false, null);
            BodyDriver second = new BodyDriver(secondBody, host.work(), false, null);
            GuardSession one = host.session("concurrent: refuse\n", LeaseOwners.jenkins("app#7"));
            GuardSession two = host.session("concurrent: refuse\n", LeaseOwners.jenkins("app#8"));
            first.start(one.machine(host.host(one)), AsyncHostFixture.request(7));
            firstBody.awaitStart();

            second.start(two.machine(host.host(two)), AsyncHostFixture.request(8));

            Throwable refused = secondBody.awaitFailure();
            assertThat(refused).isInstanceOf(GuardRefusedException.class)
                    .hasMessageContaining("environment 'prod' is busy").hasMessageContaining("jenkins:app#7");
            assertThat(secondBody.starts).isEmpty();
            assertThat(host.ledger().size(ENV)).isEqualTo(1);
            endOnAnotherThread(first, new GuardMachine.Finished());
            assertThat(firstBody.awaitDone().result()).isEqualTo(GuardOutcome.Result.GOOD);
        }
    }

    @Test
    void shouldWriteAndReadEveryBodyEnd() {
        List<GuardMachine.DeployEnd> ends = List.of(new GuardMachine.Finished(),
                new GuardMachine.Failed("script returned exit code 2: a:b"),
                new GuardMachine.Interrupted(Interruption.TIMEOUT, "Timeout has been exceeded: 5 min"),
                new GuardMachine.Interrupted(Interruption.USER, null));

        for (GuardMachine.DeployEnd end : ends) {
            assertThat(BodyDriver.read(BodyDriver.write(end))).isEqualTo(end);
        }
        assertThat(BodyDriver.read(null)).isNull();
        assertThat(BodyDriver.write(null)).isNull();
    }

    private static long indexOf(final List<LedgerEvent> events, final long point, final PointStatus to) {
        for (int i = 0; i < events.size(); i++) {
            LedgerEvent event = events.get(i);
            if (event.type() == LedgerEvent.Type.STATUS_CHANGED && event.pointId() == point && event.to() == to) {
                return i;
            }
        }
        throw new AssertionError("no move of #" + point + " to " + to + " in " + events);
    }

    /** Reports a body's end from another thread, as CPS calls a body's callback. */
    private static void endOnAnotherThread(final BodyDriver driver, final GuardMachine.DeployEnd end) {
        CompletableFuture.runAsync(() -> driver.ended(end)).join();
    }

    /** The host's side of the driver: what a Pipeline step does with the body and its context. */
    private static final class FakeBody implements BodyDriver.Body {
        private final List<RollbackPoint> starts = new CopyOnWriteArrayList<>();
        private final List<String> cancels = new CopyOnWriteArrayList<>();
        private final List<String> remembered = new CopyOnWriteArrayList<>();
        private final CompletableFuture<GuardOutcome> done = new CompletableFuture<>();

        @Override
        public void start(final RollbackPoint point) {
            starts.add(point);
        }

        @Override
        public void cancel(final String reason) {
            cancels.add(reason);
        }

        @Override
        public void remember(final boolean launched, final String end) {
            remembered.add(launched + ":" + end);
        }

        @Override
        public void done(final GuardOutcome outcome) {
            if (!done.complete(outcome)) {
                throw new AssertionError("the step ended twice");
            }
        }

        @Override
        public void failed(final Throwable failure) {
            if (!done.completeExceptionally(failure)) {
                throw new AssertionError("the step ended twice");
            }
        }

        RollbackPoint awaitStart() {
            await().atMost(END).until(() -> !starts.isEmpty());
            return starts.get(0);
        }

        GuardOutcome awaitDone() {
            await().atMost(END).until(done::isDone);
            return done.join();
        }

        Throwable awaitFailure() {
            await().atMost(END).until(done::isDone);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            done.whenComplete((outcome, thrown) -> failure.set(thrown));
            return failure.get();
        }

        /** @return what the step keeps after the last change: launched, end */
        String[] lastRecord() {
            String last = remembered.get(remembered.size() - 1);
            int colon = last.indexOf(':');
            String end = last.substring(colon + 1);
            return new String[] {last.substring(0, colon), "null".equals(end) ? null : end};
        }
    }

    /** Stops the "process" at a ledger write: from then on every write fails, as after a crash. */
    private static final class Crash implements Ledger.WriteHook {
        private final AtomicBoolean armed = new AtomicBoolean();
        private final AtomicBoolean crashed = new AtomicBoolean();

        void beforeNextStatusChange() {
            armed.set(true);
        }

        boolean happened() {
            return crashed.get();
        }

        void reset() {
            armed.set(false);
            crashed.set(false);
        }

        @Override
        public void before(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
            if (crashed.get() || armed.get() && types.contains(LedgerEvent.Type.STATUS_CHANGED)) {
                armed.set(false);
                crashed.set(true);
                throw new IllegalStateException("the host stopped here");
            }
        }
    }
}
