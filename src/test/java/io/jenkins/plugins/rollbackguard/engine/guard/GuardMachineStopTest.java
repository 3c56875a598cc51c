package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests how the {@link GuardMachine} takes a stop that arrives while it writes to the ledger: a Pipeline's
 * {@code stop()} or an aborted body can come at any moment of the preparation, on another thread.
 */
class GuardMachineStopTest {
    /** How long a machine may take to end here; it ends in milliseconds, or never when the stop is lost. */
    private static final Duration END = Duration.ofSeconds(20);

    @TempDir
    private Path root;

    /**
     * A stop that arrives while the point is being recorded finds no point yet; the preparation then meets the stop,
     * and the machine must still end, ABORTED, instead of waiting for an interruption that nobody records.
     */
    @Test
    void shouldEndAbortedWhenTheStopComesWhileThePointIsRecorded() {
        AtomicReference<GuardMachine> machine = new AtomicReference<>();
        AtomicBoolean stopped = new AtomicBoolean();
        Ledger.WriteHook stopWhileRecording = new Ledger.WriteHook() {
            @Override
            public void after(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
                if (types.contains(LedgerEvent.Type.POINT_RECORDED) && stopped.compareAndSet(false, true)) {
                    // from another thread, as CPS calls stop(): the writer itself must not be interrupted here
                    CompletableFuture.runAsync(() -> machine.get().interrupt(Interruption.USER, "Aborted by alice"))
                            .join();
                }
            }
        };
        try (AsyncHostFixture host = new AsyncHostFixture(root, stopWhileRecording)) {
            GuardSession session = host.session("");
            machine.set(session.machine(host.host(session)));

            machine.get().start(AsyncHostFixture.request(7), false);

            await().atMost(END).until(() -> machine.get().outcome().isDone());
            GuardOutcome outcome = machine.get().outcome().join();
            assertThat(outcome.result()).isEqualTo(GuardOutcome.Result.ABORTED);
            RollbackPoint point = host.ledger().history(AsyncHostFixture.ENV, 0, 1).get(0);
            assertThat(point.status()).isEqualTo(PointStatus.ABORTED);
            assertThat(GuardState.of(point).interruption()).isEqualTo(Interruption.USER);
            assertThat(host.ledger().circuit(AsyncHostFixture.ENV).isOpen()).as("an abort leaves the circuit").isFalse();
            assertThat(host.ledger().lease(AsyncHostFixture.ENV)).as("and releases the lease").isEmpty();
        }
    }

    /**
     * A stop that arrives during a ledger write of the preparation must not interrupt the writing thread: an
     * interrupted file channel fails the write (and drops the ledger's file lock), so the build would fail with an
     * I/O error instead of being aborted.
     */
    @Test
    void shouldNotInterruptALedgerWrite() {
        AtomicReference<GuardMachine> machine = new AtomicReference<>();
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        Ledger.WriteHook stopBeforeTheSecondWrite = new Ledger.WriteHook() {
            @Override
            public void before(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
                // the lease is the first write, the record the second: stop as the record is about to reach the disk
                if (writes.incrementAndGet() == 2 && stopped.compareAndSet(false, true)) {
                    CompletableFuture.runAsync(() -> machine.get().interrupt(Interruption.USER, "Aborted by alice"))
                            .join();
                }
            }
        };
        try (AsyncHostFixture host = new AsyncHostFixture(root, stopBeforeTheSecondWrite)) {
            GuardSession session = host.session("");
            machine.set(session.machine(host.host(session)));

            machine.get().start(AsyncHostFixture.request(7), false);

            await().atMost(END).until(() -> machine.get().outcome().isDone());
            assertThat(machine.get().outcome()).as("no I/O failure reaches the host").isCompletedWithValueMatching(
                    outcome -> outcome.result() == GuardOutcome.Result.ABORTED, "ABORTED");
            assertThat(stopped).isTrue();
            assertThat(host.ledger().history(AsyncHostFixture.ENV, 0, 1)).singleElement()
                    .extracting(RollbackPoint::status).isEqualTo(PointStatus.ABORTED);
            assertThat(host.ledger().lease(AsyncHostFixture.ENV)).isEmpty();
        }
    }
}
