package io.jenkins.plugins.rollbackguard.jenkins;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;

/**
 * The plugin's own small, bounded pool for blocking work: probe samples, baselines, backups handed to agents,
 * ledger writes. {@code jenkins.util.Timer} (ten threads shared by all of Jenkins) only schedules; the work it
 * schedules runs here. Tasks run as SYSTEM: they act for the guard, not for a user (permission checks of a user
 * happen before work is handed over).
 */
public final class SamplePool {
    /** Threads; samples are short, and a slow probe is bounded by its own timeout. */
    private static final int THREADS = Integer.getInteger(SamplePool.class.getName() + ".threads", 4);

    private static final ExecutorService POOL = create();

    private SamplePool() {
    }

    private static ExecutorService create() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new NamingThreadFactory(new DaemonThreadFactory(), "rollback-guard"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** @return the executor, whose tasks run as SYSTEM */
    public static java.util.concurrent.Executor executor() {
        return SamplePool::execute;
    }

    /**
     * Runs a task on the pool as SYSTEM.
     *
     * @param task
     *         the task
     */
    public static void execute(final Runnable task) {
        POOL.execute(() -> {
            try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                task.run();
            }
        });
    }
}
