package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.OwnerLiveness;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/**
 * A host process for the guard machine's asynchronous tests: a real ledger in a directory, real thread pools (a
 * sample pool and a work pool apart, as in Jenkins) and the system clock. {@link #restart()} drops the pools and
 * opens the ledger again on the same directory, as a controller restart does; the host's owner stays the same
 * build, which resumes.
 */
final class AsyncHostFixture implements AutoCloseable {
    static final EnvironmentName ENV = EnvironmentName.of("prod");
    static final String OWNER = LeaseOwners.JENKINS + "app#7";

    private final Path root;
    private final Ledger.WriteHook writes;
    private final int workThreads;
    private ExecutorService samples;
    private ExecutorService work;
    private SystemScheduler scheduler;
    private Ledger ledger;

    AsyncHostFixture(final Path root, final Ledger.WriteHook writes) {
        this(root, writes, 0);
    }

    /**
     * Creates the host.
     *
     * @param root
     *         its files
     * @param writes
     *         told around each ledger write
     * @param workThreads
     *         the work pool's threads, or 0 for a pool that grows as needed
     */
    AsyncHostFixture(final Path root, final Ledger.WriteHook writes, final int workThreads) {
        this.root = root;
        this.writes = writes;
        this.workThreads = workThreads;
        open();
    }

    private void open() {
        samples = Executors.newFixedThreadPool(2);
        work = workThreads > 0 ? Executors.newFixedThreadPool(workThreads) : Executors.newCachedThreadPool();
        scheduler = new SystemScheduler(1);
        ledger = Ledger.open(root.resolve("ledger"), Ledger.Options.defaults().withFsync(false)
                .withWarnings(warning -> { }).withWrites(writes));
    }

    /** Ends this "process" (its pools; what they run is cut off) and starts the next one on the same files. */
    void restart() {
        shutdown();
        open();
    }

    Ledger ledger() {
        return ledger;
    }

    ExecutorService work() {
        return work;
    }

    /** @return a session of a policy without probes or backups unless the text adds them */
    GuardSession session(final String policyText) {
        return session(policyText, OWNER);
    }

    /**
     * Returns a session of a build.
     *
     * @param policyText
     *         policy lines after the environment
     * @param owner
     *         the build's lease owner
     * @return the session
     */
    GuardSession session(final String policyText, final String owner) {
        Policy policy = new PolicyReader().parse("policy.yaml", "environment: prod\n" + policyText);
        GuardServices services = new GuardServices(ledger, new BackupStore(root.resolve("backups")),
                new FileArtifactStore(root.resolve("artifacts")), SecretSource.of(Map.of()), new LocalCommandRunner(),
                scheduler, samples, GuardListener.silent(), Notifier.none(),
                new LeaseOwners(owner, OwnerLiveness.never()));
        return new GuardSession(services, policy, new Timeline(scheduler::now, GuardListener.silent()));
    }

    /** @return a host for a machine of the session whose deploy is a body that resumes (a Pipeline) */
    GuardMachine.Host host(final GuardSession session) {
        GuardMachine.Host local = session.localHost(plan -> {
            throw new AssertionError("no revert expected: " + plan.describe());
        }, work);
        return new DelegatingHost(local);
    }

    static DeployRequest request(final int build) {
        return new DeployRequest(PointSource.jenkins("app", build), List.of(), null, Map.of(), "alice", null, 0,
                "manual", null, Map.of("jenkins.node", "12"));
    }

    private void shutdown() {
        samples.shutdownNow();
        work.shutdownNow();
        scheduler.close();
        try {
            work.awaitTermination(10, TimeUnit.SECONDS);
            samples.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown();
    }
}
