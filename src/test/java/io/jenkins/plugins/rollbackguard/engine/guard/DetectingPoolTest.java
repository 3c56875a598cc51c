package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Tests the class {@link DetectingPool}: it reports a task that waits on a future another task of the same pool
 * completes (on two threads, and the deadlock on one), and stays quiet for tasks that sleep, chain futures or idle.
 */
class DetectingPoolTest {
    @Test
    void shouldReportATaskJoiningAFutureThatALaterTaskOfThePoolCompletes() throws Exception {
        try (DetectingPool pool = new DetectingPool("two", 2)) {
            CompletableFuture<String> later = new CompletableFuture<>();
            CompletableFuture<String> joined = CompletableFuture.supplyAsync(() -> later.join(), pool);
            pool.execute(() -> {
                pause(300);
                later.complete("done");
            });

            assertThat(joined.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            assertThat(pool.failures()).singleElement().asString()
                    .startsWith("two-").contains("waits on a future")
                    .contains("CompletableFuture.join").contains(DetectingPoolTest.class.getName());
        }
    }

    @Test
    void shouldReportTheDeadlockOfATaskWaitingOnATaskQueuedBehindIt() throws Exception {
        try (DetectingPool pool = new DetectingPool("one", 1)) {
            CompletableFuture<CompletableFuture<String>> behind = new CompletableFuture<>();
            CompletableFuture<String> stuck = CompletableFuture.supplyAsync(() -> {
                CompletableFuture<String> queued = CompletableFuture.supplyAsync(() -> "never on this thread", pool);
                behind.complete(queued);
                try {
                    return queued.get(30, TimeUnit.SECONDS); // the only thread waits for its own queue
                }
                catch (Exception e) {
                    return "gave up";
                }
            }, pool);

            await().atMost(Duration.ofSeconds(10)).until(() -> !pool.failures().isEmpty());
            assertThat(pool.failures()).singleElement().asString().contains("one-1 (task 1 of a 1-thread pool)")
                    .contains("CompletableFuture.timedGet").contains("CompletableFuture.get");
            assertThat(stuck).isNotDone();

            behind.join().complete("released from outside"); // ends the deadlock so that the pool can close
            assertThat(stuck.get(10, TimeUnit.SECONDS)).isEqualTo("released from outside");
        }
    }

    @Test
    void shouldReportTheBlockingDriverAwaitingAMachineOnThePool() throws Exception {
        try (DetectingPool pool = new DetectingPool("driver", 2)) {
            CompletableFuture<String> machine = new CompletableFuture<>();
            CompletableFuture<String> driven = CompletableFuture.supplyAsync(() -> new CallerLoop().await(machine), pool);
            pool.execute(() -> {
                pause(300);
                machine.complete("done");
            });

            assertThat(driven.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            assertThat(pool.failures()).singleElement().asString().contains(CallerLoop.class.getName() + ".await");
        }
    }

    @Test
    void shouldNotReportTasksThatSleepChainOrIdle() throws Exception {
        try (DetectingPool pool = new DetectingPool("quiet", 2)) {
            CountDownLatch ran = new CountDownLatch(20);
            for (int i = 0; i < 20; i++) {
                CompletableFuture.supplyAsync(() -> {
                    pause(20); // TIMED_WAITING, but not on a future
                    return 1;
                }, pool).thenApplyAsync(n -> n + 1, pool).thenAccept(n -> ran.countDown());
            }
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            long scansBefore = pool.scans();
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.scans() > scansBefore + 20); // idle threads too

            assertThat(pool.failures()).isEmpty();
            assertThat(pool.tasks()).isEqualTo(40);
        }
    }

    private static void pause(final long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
