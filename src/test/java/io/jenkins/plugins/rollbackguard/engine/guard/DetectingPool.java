package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sample pool for tests that catches one of its own threads waiting on a future: a fixed pool whose threads are
 * marked, and a watchdog that looks, every few milliseconds, at each marked thread while it runs a task. A thread
 * parked (WAITING or TIMED_WAITING) inside {@code CompletableFuture.join/get}, {@code Future.get} or
 * {@link CallerLoop#await} is a failure,
 * recorded with its stack: on a bounded pool the future it waits for may be completed by a task queued behind it,
 * which is a deadlock on one thread and a lost thread on more. The pool cannot tell which pool completes the future,
 * so it flags every such wait: a sample-pool task has no business waiting on any future.
 *
 * <p>Idle threads (waiting for a task in the queue) and sleeping or I/O-bound tasks are not waits on a future and are
 * not flagged. A wait shorter than the watchdog's period can be missed; the detector's own test shows it catches one
 * of a few hundred milliseconds and a deadlock.</p>
 */
final class DetectingPool implements Executor, AutoCloseable {
    /**
     * Frames of a thread parked on a future: join/get of a CompletableFuture, get of a FutureTask, and the engine's
     * blocking driver, which polls its queue until the machine's future is done.
     */
    private static final Set<String> WAIT_FRAMES = Set.of(
            "java.util.concurrent.CompletableFuture.waitingGet",
            "java.util.concurrent.CompletableFuture.timedGet",
            "java.util.concurrent.CompletableFuture$Signaller.block",
            "java.util.concurrent.FutureTask.awaitDone",
            CallerLoop.class.getName() + ".await");
    private static final long PERIOD_MILLIS = 5;

    private final String name;
    private final int size;
    private final ExecutorService pool;
    /** The marked threads, each with the number of the task it runs now (0: idle). */
    private final Map<Thread, Long> running = new ConcurrentHashMap<>();
    private final Set<String> failures = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<String> reported = ConcurrentHashMap.newKeySet(); // thread + task, once each
    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong longestTaskNanos = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();
    private final AtomicLong scans = new AtomicLong();
    private final Thread watchdog;
    private volatile boolean closed;

    /**
     * Starts the pool and its watchdog.
     *
     * @param name
     *         the prefix of its threads' names
     * @param size
     *         how many threads
     */
    DetectingPool(final String name, final int size) {
        this.name = name;
        this.size = size;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(size, runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.watchdog = new Thread(this::watch, name + "-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    @Override
    public void execute(final Runnable task) {
        long number = tasks.incrementAndGet();
        pool.execute(() -> {
            Thread self = Thread.currentThread();
            long start = System.nanoTime();
            running.put(self, number);
            try {
                task.run();
            }
            finally {
                running.put(self, 0L);
                long took = System.nanoTime() - start;
                busyNanos.addAndGet(took);
                longestTaskNanos.accumulateAndGet(took, Math::max);
            }
        });
    }

    private void watch() {
        while (!closed) {
            for (Map.Entry<Thread, Long> entry : running.entrySet()) {
                if (entry.getValue() != 0L) {
                    inspect(entry.getKey(), entry.getValue());
                }
            }
            scans.incrementAndGet();
            try {
                Thread.sleep(PERIOD_MILLIS);
            }
            catch (InterruptedException e) {
                return;
            }
        }
    }

    private void inspect(final Thread thread, final long task) {
        Thread.State state = thread.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return;
        }
        StackTraceElement[] stack = thread.getStackTrace();
        boolean onFuture = false;
        for (StackTraceElement frame : stack) {
            if (WAIT_FRAMES.contains(frame.getClassName() + "." + frame.getMethodName())) {
                onFuture = true;
                break;
            }
        }
        if (!onFuture || running.getOrDefault(thread, 0L) != task || !reported.add(thread.getName() + "#" + task)) {
            return; // the task may have ended between the state and the stack: only a wait in the same task counts
        }
        StringBuilder text = new StringBuilder("%s (task %d of a %d-thread pool) waits on a future in state %s:"
                .formatted(thread.getName(), task, size, state));
        for (StackTraceElement frame : stack) {
            text.append("\n\tat ").append(frame);
        }
        failures.add(text.toString());
    }

    /** @return every wait on a future found so far, each with the thread's stack */
    List<String> failures() {
        synchronized (failures) {
            return new ArrayList<>(failures);
        }
    }

    /** @return how many tasks were given to the pool */
    long tasks() {
        return tasks.get();
    }

    /** @return how many times the watchdog looked at the threads (it must have looked for a clean run to count) */
    long scans() {
        return scans.get();
    }

    /** @return one line of figures: tasks, busy time, longest task, scans */
    String figures() {
        return "%s: %d thread(s), %d tasks, busy %d ms, longest task %.1f ms, %d watchdog scans, %d wait(s) on a future"
                .formatted(name, size, tasks.get(), TimeUnit.NANOSECONDS.toMillis(busyNanos.get()),
                        longestTaskNanos.get() / 1e6, scans.get(), failures.size());
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        watchdog.interrupt();
        watchdog.join(1000);
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
