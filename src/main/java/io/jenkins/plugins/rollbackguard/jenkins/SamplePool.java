package io.jenkins.plugins.rollbackguard.jenkins;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.ClassLoaderSanityThreadFactory;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;

import io.jenkins.plugins.rollbackguard.engine.spi.SessionExecutor;

/**
 * The plugin's own small, bounded pool for blocking work: probe samples, baselines, backups handed to agents,
 * ledger writes. {@code jenkins.util.Timer} (ten threads shared by all of Jenkins) only schedules; the work it
 * schedules runs here. Tasks run as SYSTEM: they act for the guard, not for a user (permission checks of a user
 * happen before work is handed over).
 *
 * <p>The pool belongs to one Jenkins session ({@link SessionExecutor}). {@link #shutdown()} (when Jenkins stops, see
 * {@link PluginLifecycle}) ends it; an executor or scheduler bound to the old session (a watch of a Jenkins that has
 * stopped, in the same JVM as a new one, as in {@code JenkinsSessionExtension} restarts) then drops its tasks, so
 * that an old watch cannot come back to life beside its resumed copy (they throw {@code RejectedExecutionException}).</p>
 */
public final class SamplePool {
    private static final Logger LOGGER = Logger.getLogger(SamplePool.class.getName());
    /** Threads; samples are short, and a slow probe is bounded by its own timeout. */
    private static final int THREADS = Integer.getInteger(SamplePool.class.getName() + ".threads", 4);

    private static final SessionExecutor POOL = session("rollback-guard");
    /**
     * Freestyle watches block their build's executor while samples run here: apart from the Pipeline pool, whose
     * threads may wait on samples of their own (see the guard machine issue), so that neither can starve the other.
     */
    private static final SessionExecutor FREESTYLE = session("rollback-guard-freestyle");

    private SamplePool() {
    }

    private static SessionExecutor session(final String name) {
        return new SessionExecutor(() -> create(name), task -> () -> {
            try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                task.run();
            }
        }, task -> LOGGER.log(Level.FINE, "refused a task of an ended Jenkins session: {0}", task));
    }

    private static ThreadPoolExecutor create(final String name) {
        // ClassLoaderSanityThreadFactory: a thread first made from the CPS VM thread must not keep a build's
        // Groovy class loader as its context class loader for as long as it lives
        ThreadPoolExecutor created = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new NamingThreadFactory(
                        new ClassLoaderSanityThreadFactory(new DaemonThreadFactory()), name));
        created.allowCoreThreadTimeOut(true);
        return created;
    }

    /** @return the current Jenkins session of the pool */
    public static long session() {
        return POOL.session();
    }

    /** @param bound a session @return whether it is still the current one */
    public static boolean isCurrent(final long bound) {
        return POOL.isCurrent(bound);
    }

    /** @return an executor bound to the current session, whose tasks run as SYSTEM */
    public static Executor executor() {
        return POOL.executor();
    }

    /**
     * Runs a task on the pool as SYSTEM, in the current session.
     *
     * @param task
     *         the task
     */
    public static void execute(final Runnable task) {
        POOL.execute(task);
    }

    /** @return an executor for the samples of freestyle watches, bound to the current session */
    public static Executor freestyleExecutor() {
        return FREESTYLE.executor();
    }

    /** Ends the current session: tasks already given finish, later tasks of the session are refused. */
    public static void shutdown() {
        POOL.shutdown();
        FREESTYLE.shutdown();
    }
}
