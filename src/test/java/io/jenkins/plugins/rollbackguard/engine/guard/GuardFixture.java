package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupStore;
import io.jenkins.plugins.rollbackguard.engine.ledger.ArtifactRef;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;
import io.jenkins.plugins.rollbackguard.engine.spi.SystemScheduler;

/**
 * Everything a guarded deploy needs, real and in a temporary directory: a ledger, a backup store, an artifact store,
 * and a shop whose health endpoint answers by the version it runs. A deploy body installs the version its point's
 * artifact holds (a revert installs the target's from the store), so a revert really restores health. The test
 * breaks a version with {@link Shop#breakVersion}: the endpoint fails while that version runs.
 */
final class GuardFixture implements AutoCloseable {
    static final EnvironmentName ENV = EnvironmentName.of("shop");
    /** How long a scenario may take before the test fails instead of hanging. */
    static final long TIMEOUT_SECONDS = 30;

    final Path dir;
    final Ledger ledger;
    final BackupStore backups;
    final FileArtifactStore artifacts;
    final Shop shop;
    final SystemScheduler scheduler = new SystemScheduler(2);
    /** The sample pool: samples only, never blocking work. */
    final ExecutorService samples = pool("sample", 4);
    /** The async driver's work pool, apart from the sample pool. */
    final ExecutorService work = pool("work", 3);
    /** The work pool of the async driver's nested revert: its caller blocks a thread of {@link #work} on it. */
    final ExecutorService revertWork = pool("revert-work", 3);
    /** Where the async driver runs deploy bodies, as Jenkins runs a Pipeline body apart from the step. */
    final ExecutorService bodies = pool("body", 4);
    /** What the guard told webhooks. */
    final List<GuardEvent> events = Collections.synchronizedList(new ArrayList<>());
    /** Progress lines, shown when an assertion fails. */
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    /** Deploy bodies started, and those of reverts. */
    final AtomicInteger bodiesStarted = new AtomicInteger();
    final AtomicInteger revertBodiesStarted = new AtomicInteger();
    /** Deploy bodies that ran to their end (installed their version). */
    final AtomicInteger bodiesFinished = new AtomicInteger();
    /** When each body ran, [start, end] in nanos, for the overlap check. */
    final List<long[]> bodyIntervals = Collections.synchronizedList(new ArrayList<>());
    /** Told of each webhook event on the thread that sends it (a test holds the machine there). */
    volatile java.util.function.Consumer<GuardEvent> onEvent = event -> { };
    /** Told around each ledger write of this process, on the writing thread (a test holds a writer there). */
    volatile Ledger.WriteHook writes = Ledger.WriteHook.NONE;
    /** Calls of a reverter that must never run (a revert reverting). */
    final AtomicInteger forbiddenReverts = new AtomicInteger();

    GuardFixture(final Path dir) throws IOException {
        this.dir = dir;
        this.ledger = Ledger.open(dir.resolve("ledger"), Ledger.Options.defaults().withWrites(new Ledger.WriteHook() {
            @Override
            public void before(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
                writes.before(environment, types);
            }

            @Override
            public void after(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
                writes.after(environment, types);
            }
        }));
        this.backups = new BackupStore(dir.resolve("backups"));
        this.artifacts = new FileArtifactStore(dir.resolve("artifacts"));
        this.shop = new Shop();
    }

    private static ExecutorService pool(final String name, final int threads) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "guard-test-" + name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @return the services of a run in this process, taking leases as this process */
    GuardServices services() {
        return services(LeaseOwners.process());
    }

    /**
     * Services taking leases as a given owner: two deploys at once come from two processes or two builds, never
     * from one owner (an owner re-confirms a lease it holds).
     */
    GuardServices services(final LeaseOwners owners) {
        GuardListener listener = new GuardListener() {
            @Override
            public void info(final String line) {
                log.add(line);
            }

            @Override
            public void error(final String line) {
                log.add("ERROR: " + line);
            }
        };
        Notifier notifier = event -> {
            events.add(event);
            onEvent.accept(event);
            return CompletableFuture.completedFuture(null);
        };
        return new GuardServices(ledger, backups, artifacts, SecretSource.none(), new LocalCommandRunner(), scheduler,
                samples, listener, notifier, owners);
    }

    /** @return a second lease owner, as a second build of a job would be */
    static LeaseOwners otherOwner(final int build) {
        return new LeaseOwners(LeaseOwners.jenkins("shop-deploy#" + build), LeaseOwners::isDeadProcess);
    }

    /**
     * A policy with one HTTP probe on the shop's health (3 samples 100 ms apart, the first failure trips).
     *
     * @param extra
     *         further top-level YAML lines
     * @return the policy
     */
    Policy policy(final String... extra) {
        return policyWithProbe("{interval: 100ms, count: 3}", "\"< 0.9\"", extra);
    }

    /**
     * A policy with one HTTP probe on the shop's health.
     *
     * @param analysis
     *         the probe's analysis, as YAML flow
     * @param failIf
     *         its threshold, quoted YAML
     * @param extra
     *         further top-level YAML lines
     * @return the policy
     */
    Policy policyWithProbe(final String analysis, final String failIf, final String... extra) {
        String yaml = """
                environment: %s
                probes:
                  - type: http
                    name: health
                    url: %s/health
                    jsonPointer: /rate
                    failIf: %s
                    analysis: %s
                """.formatted(ENV, shop.url(), failIf, analysis) + String.join("\n", extra) + "\n";
        return new PolicyReader().parse("scenario.yaml", yaml);
    }

    /**
     * A request to deploy a version: its artifact, a file holding the version, is put in the artifact store.
     *
     * @param version
     *         the version
     * @return the request
     */
    DeployRequest request(final String version) {
        try {
            Path build = Files.createDirectories(dir.resolve("build"));
            Path file = build.resolve("shop-" + version + ".txt");
            Files.writeString(file, version, StandardCharsets.UTF_8);
            ArtifactRef ref = artifacts.put(file);
            return new DeployRequest(PointSource.cli("deploy-" + version), List.of(ref), null,
                    Map.of("version", version), "tester", null, 0, "manual", null, Map.of());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The request of the automatic revert a plan asks for, as the command line builds it: the target's stored
     * artifact, parameters and data version, reverting the point being left.
     */
    static DeployRequest revertRequest(final RevertPlan.Revert plan) {
        RollbackPoint target = plan.target();
        RollbackPoint leaving = plan.leaving();
        return new DeployRequest(PointSource.cli("revert-" + leaving.id() + "-to-" + target.id()), target.artifacts(),
                target.gitCommit(), target.parameters(), "guard", null, leaving.id(), RollbackPlanner.AUTO,
                target.dataVersion(), Map.of());
    }

    /** @return the policy a point was deployed with, as a reverter reads it (CliReverter does the same) */
    static Policy policyOf(final RollbackPoint point) {
        return new PolicyReader().parse(point.label() + " policy", point.attributes().get(GuardSession.POLICY));
    }

    /** What a deploy body does; a body stopped by its host throws {@link InterruptedException}. */
    @FunctionalInterface
    interface Body {
        void run(RollbackPoint point) throws InterruptedException;
    }

    /**
     * The standard deploy body: installs the version the point's artifact holds, after an optional action (a pause,
     * a gate), counting and timing itself.
     *
     * @param before
     *         what the body does before it installs
     * @return the body
     */
    Body body(final Body before) {
        return point -> {
            long start = System.nanoTime();
            bodiesStarted.incrementAndGet();
            if (point.isRevert()) {
                revertBodiesStarted.incrementAndGet();
            }
            try {
                before.run(point);
                Path artifact = artifacts.locate(point.artifacts().get(0)).orElseThrow(() ->
                        new IllegalStateException("artifact of " + point.label() + " is not in the store"));
                shop.install(Files.readString(artifact, StandardCharsets.UTF_8));
                bodiesFinished.incrementAndGet();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            finally {
                bodyIntervals.add(new long[] {start, System.nanoTime()});
            }
        };
    }

    /** @return the body that installs at once */
    Body body() {
        return body(point -> { });
    }

    /** @return a body that runs until its host stops it (or 30 s pass) */
    Body blockingBody() {
        return body(point -> Thread.sleep(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
    }

    /**
     * Holds the first ledger write with a record of a type, just before it reaches the disk or just after it is
     * durable (still under the ledger's lock), until released: a test stops the machine right there.
     *
     * @param type
     *         the record's type
     * @param after
     *         hold once it is durable, else before it is written
     * @return the pause
     */
    Pause pauseAt(final LedgerEvent.Type type, final boolean after) {
        Pause pause = new Pause(type, after);
        writes = pause;
        return pause;
    }

    /** A ledger write held on its thread. */
    static final class Pause implements Ledger.WriteHook {
        final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final LedgerEvent.Type type;
        private final boolean after;
        private final AtomicBoolean used = new AtomicBoolean();

        Pause(final LedgerEvent.Type type, final boolean after) {
            this.type = type;
            this.after = after;
        }

        @Override
        public void before(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
            if (!after) {
                hold(types);
            }
        }

        @Override
        public void after(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
            if (after) {
                hold(types);
            }
        }

        private void hold(final List<LedgerEvent.Type> types) {
            if (types.contains(type) && used.compareAndSet(false, true)) {
                reached.countDown();
                holdUntil(released);
            }
        }

        void release() {
            released.countDown();
        }
    }

    /** Waits without giving in to an interrupt, which stays set for what the thread does next. */
    static void holdUntil(final CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                if (latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    break;
                }
            }
            catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the points of the environment, oldest first */
    List<RollbackPoint> points() {
        if (!ledger.environments().contains(ENV)) {
            return List.of();
        }
        List<RollbackPoint> all = new ArrayList<>(ledger.history(ENV, 0, 1000));
        Collections.reverse(all);
        return all;
    }

    /** @return the ledger's events of a type */
    List<LedgerEvent> ledgerEvents(final LedgerEvent.Type type) {
        return ledger.auditTrail(ENV).stream().filter(e -> e.type() == type).toList();
    }

    /** @return the webhook events of a type */
    List<GuardEvent> events(final GuardEvent.Type type) {
        synchronized (events) {
            return events.stream().filter(e -> e.type() == type).toList();
        }
    }

    /** @return what happened, for assertion messages */
    String describe() {
        StringBuilder text = new StringBuilder("\npoints:\n");
        points().forEach(p -> text.append("  ").append(p.label()).append(' ').append(p.status()).append(" verdict=")
                .append(p.verdict()).append(" state=").append(p.attributes().get(GuardState.ATTRIBUTE)).append('\n'));
        synchronized (log) {
            text.append("log:\n").append(log.stream().map(l -> "  " + l).collect(Collectors.joining("\n")));
        }
        return text.toString();
    }

    @Override
    public void close() throws Exception {
        bodies.shutdownNow();
        work.shutdownNow();
        revertWork.shutdownNow();
        samples.shutdownNow();
        scheduler.close();
        shop.close();
    }

    /**
     * The deployed application: a real HTTP server whose {@code /health} answers {@code {"rate": 0.99}} while a
     * healthy version runs and 500 while a broken one does, with payment counters ({@code ok} out of {@code all})
     * that start again at each install.
     */
    static final class Shop implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor = Executors.newFixedThreadPool(4);
        private final AtomicReference<String> running = new AtomicReference<>("0");
        private final Set<String> broken = ConcurrentHashMap.newKeySet();
        private final Set<String> degraded = ConcurrentHashMap.newKeySet();
        private final AtomicInteger requests = new AtomicInteger();
        private final java.util.concurrent.atomic.AtomicLong payments = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong succeeded = new java.util.concurrent.atomic.AtomicLong();
        private final List<Instant> installs = Collections.synchronizedList(new ArrayList<>());

        Shop() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(executor);
            server.createContext("/health", this::health);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** @param version a version whose health fails from now on */
        void breakVersion(final String version) {
            broken.add(version);
        }

        /** @param version a version that answers from now on, but with a rate of 0.70 instead of 0.99 */
        void degradeVersion(final String version) {
            degraded.add(version);
        }

        void install(final String version) {
            payments.set(0); // the new version is a new process: its counters start again
            succeeded.set(0);
            running.set(version);
            installs.add(Instant.now());
        }

        /** @return the version running now */
        String running() {
            return running.get();
        }

        /** @return how many health requests were answered */
        int requests() {
            return requests.get();
        }

        private void health(final HttpExchange exchange) throws IOException {
            requests.incrementAndGet();
            boolean healthy = !broken.contains(running.get());
            boolean worse = degraded.contains(running.get());
            String rate = worse ? "0.70" : "0.99";
            // payment counters since the process started: 100 payments a request, 99 (or, degraded, 70) succeeding
            long all = payments.addAndGet(100);
            long ok = succeeded.addAndGet(worse ? 70 : 99);
            byte[] body = (healthy ? "{\"rate\": " + rate + ", \"version\": \"%s\", \"ok\": " + ok + ", \"all\": "
                    + all + "}" : "{\"error\": \"version %s is broken\"}")
                    .formatted(running.get()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(healthy ? 200 : 500, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
