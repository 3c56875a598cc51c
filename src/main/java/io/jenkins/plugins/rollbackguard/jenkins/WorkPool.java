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
 * The plugin's pool for the guard machine's blocking work: ledger writes, backups and artifact copies carried to
 * agents, reverts scheduled, the Pipeline step's preparation and resumption. Apart from the {@link SamplePool}: a
 * backup that lasts minutes, or many deploys preparing at once, never takes a thread that a watch's sample needs
 * (the machine never runs a sample here, nor waits here for one).
 *
 * <p>Its threads may block (on an agent, on a file), so the pool grows with the work, one thread per busy task up
 * to a cap (system property {@code io.jenkins.plugins.rollbackguard.jenkins.WorkPool.threads}, default 16, read when
 * a Jenkins session's pool starts), and queues beyond it;
 * idle threads end after a minute. No task waits for another task of this pool, so a full pool only delays.
 * Tasks run as SYSTEM. Like the sample pool, the pool belongs to one Jenkins session ({@link SessionExecutor}):
 * {@link #shutdown()} (from {@link PluginLifecycle}) ends it, and an executor taken in an ended session refuses
 * its tasks, so that a machine of a Jenkins that stopped cannot act beside its resumed copy.</p>
 */
public final class WorkPool {
    private static final Logger LOGGER = Logger.getLogger(WorkPool.class.getName());
    /** System property: the pool's cap, read when a session's pool starts. */
    public static final String THREADS_PROPERTY = WorkPool.class.getName() + ".threads";

    private static final SessionExecutor POOL = new SessionExecutor(WorkPool::create, task -> () -> {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            task.run();
        }
    }, task -> LOGGER.log(Level.FINE, "refused a task of an ended Jenkins session: {0}", task));

    private WorkPool() {
    }

    private static ThreadPoolExecutor create() {
        // core = max with core threads timing out: a thread per task up to the cap, then a queue (a cached pool
        // with a SynchronousQueue would refuse work at the cap instead)
        int threads = Math.max(1, Integer.getInteger(THREADS_PROPERTY, 16));
        ThreadPoolExecutor created = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new NamingThreadFactory(
                        new ClassLoaderSanityThreadFactory(new DaemonThreadFactory()), "rollback-guard-work"));
        created.allowCoreThreadTimeOut(true);
        return created;
    }

    /** @return an executor bound to the current Jenkins session, whose tasks run as SYSTEM */
    public static Executor executor() {
        return POOL.executor();
    }

    /** @return the current session of the pool */
    public static long session() {
        return POOL.session();
    }

    /** Ends the current session: tasks already given finish, later tasks of the session are refused. */
    public static void shutdown() {
        POOL.shutdown();
    }
}
