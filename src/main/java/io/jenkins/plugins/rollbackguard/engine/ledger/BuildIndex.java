package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * An in-memory index of a ledger's points by the Jenkins build that recorded them, for callers that run on every
 * page (a transient action factory, a job's side panel) and must not lock or read ledger files there. It is built by
 * one scan on first use and then kept up to date as an observer of the ledger's events
 * ({@link Ledger.Options#withEvents}): a lookup after that touches no file.
 *
 * <p>It sees the points that the instance it observes records. Points that another process records in the same
 * directory (the ledger allows it) appear only after {@link #invalidate()} or in a new index; Jenkins alone writes
 * the points of Jenkins builds, so a controller's index stays complete.</p>
 *
 * <pre>{@code
 * BuildIndex index = new BuildIndex();
 * Ledger ledger = Ledger.open(root, Ledger.Options.defaults().withEvents(index));
 * index.attach(ledger);
 * index.pointOf("shop/deploy", 42); // the newest point build #42 recorded
 * }</pre>
 */
public final class BuildIndex implements Consumer<LedgerEvent> {
    private final Map<String, Map<Integer, NavigableSet<PointRef>>> byBuild = new ConcurrentHashMap<>();
    private final Map<String, Map<EnvironmentName, NavigableSet<Long>>> byJob = new ConcurrentHashMap<>();
    private final Map<PointRef, Long> reverts = new ConcurrentHashMap<>();
    private final Queue<LedgerEvent> pending = new ConcurrentLinkedQueue<>();
    private final Set<EnvironmentName> scanned = ConcurrentHashMap.newKeySet();
    private final LongSupplier clock;
    private volatile Ledger ledger;
    private volatile boolean built;
    /** When to scan the environments that could not be read, in {@link #clock} nanoseconds; 0: none failed. */
    private volatile long retryAt;

    /** Creates an index; call {@link #attach} with the ledger it observes. */
    public BuildIndex() {
        this(System::nanoTime);
    }

    BuildIndex(final LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Names a point of the ledger.
     *
     * @param environment
     *         its environment
     * @param id
     *         its id there
     */
    public record PointRef(EnvironmentName environment, long id) implements Comparable<PointRef> {
        @Override
        public int compareTo(final PointRef other) {
            int byEnvironment = environment.value().compareTo(other.environment.value());
            return byEnvironment != 0 ? byEnvironment : Long.compare(id, other.id);
        }
    }

    /**
     * Names the ledger to index: the one whose events this index observes.
     *
     * @param observed
     *         the ledger
     * @return this index
     */
    public BuildIndex attach(final Ledger observed) {
        this.ledger = observed;
        return this;
    }

    /** Forgets everything; the next lookup scans the ledger again. */
    public synchronized void invalidate() {
        built = false;
        retryAt = 0;
        scanned.clear();
        byBuild.clear();
        byJob.clear();
        reverts.clear();
    }

    /**
     * Takes a ledger event; only recorded points change the index. Called by the ledger outside its locks, once the
     * event is on disk.
     *
     * @param event
     *         the event
     */
    @Override
    public void accept(final LedgerEvent event) {
        if (event.type() != LedgerEvent.Type.POINT_RECORDED) {
            return;
        }
        pending.add(event);
        if (built) { // before the first scan, the scan sees the point itself
            drain();
        }
    }

    /**
     * Finds the point a build recorded; of a build that deployed to several environments, the one with the highest
     * id (see {@link #pointsOf} for all).
     *
     * @param job
     *         the job's full name
     * @param build
     *         the build number
     * @return the point, or empty if the build recorded none
     */
    public Optional<PointRef> pointOf(final String job, final int build) {
        NavigableSet<PointRef> points = builds(job).get(build);
        if (points == null || points.isEmpty()) {
            return Optional.empty();
        }
        return points.stream().max(Comparator.comparingLong(PointRef::id));
    }

    /**
     * Lists every point a build recorded (a build may guard deploys to several environments).
     *
     * @param job
     *         the job's full name
     * @param build
     *         the build number
     * @return the points, by environment and id
     */
    public List<PointRef> pointsOf(final String job, final int build) {
        NavigableSet<PointRef> points = builds(job).get(build);
        return points == null ? List.of() : List.copyOf(points);
    }

    /**
     * Lists the environments a job deployed to.
     *
     * @param job
     *         the job's full name
     * @return the environments, sorted
     */
    public Set<EnvironmentName> environmentsOf(final String job) {
        ensureBuilt();
        Map<EnvironmentName, NavigableSet<Long>> environments = byJob.get(job);
        return environments == null ? Set.of() : new TreeSet<>(environments.keySet());
    }

    /**
     * Lists the newest points a job recorded in an environment.
     *
     * @param job
     *         the job's full name
     * @param environment
     *         the environment
     * @param limit
     *         how many at most
     * @return the point ids, newest first
     */
    public List<Long> newestOf(final String job, final EnvironmentName environment, final int limit) {
        ensureBuilt();
        Map<EnvironmentName, NavigableSet<Long>> environments = byJob.get(job);
        NavigableSet<Long> ids = environments == null ? null : environments.get(environment);
        List<Long> result = new ArrayList<>();
        if (ids != null) {
            for (Long id : ids.descendingSet()) {
                if (result.size() >= limit) {
                    break;
                }
                result.add(id);
            }
        }
        return result;
    }

    /**
     * Finds the newest point that reverted a point.
     *
     * @param environment
     *         the environment
     * @param id
     *         the reverted point's id
     * @return the reverting point's id, or empty
     */
    public OptionalLong revertOf(final EnvironmentName environment, final long id) {
        ensureBuilt();
        Long revert = reverts.get(new PointRef(environment, id));
        return revert == null ? OptionalLong.empty() : OptionalLong.of(revert);
    }

    private Map<Integer, NavigableSet<PointRef>> builds(final String job) {
        ensureBuilt();
        return byBuild.getOrDefault(job, Map.of());
    }

    private void ensureBuilt() {
        if (built && (retryAt == 0 || clock.getAsLong() - retryAt < 0)) {
            return;
        }
        synchronized (this) {
            if (!built || retryAt != 0 && clock.getAsLong() - retryAt >= 0) {
                retryAt = 0;
                scan();
                built = true;
            }
        }
        drain();
    }

    /**
     * Reads every environment once. One that cannot be read (corrupt, waiting for salvage) is skipped and tried
     * again at most once a minute, so that a broken environment neither hides the others nor makes every page scan.
     */
    private void scan() {
        Ledger observed = requireLedger();
        List<EnvironmentName> environments;
        try {
            environments = observed.environments();
        }
        catch (LedgerException e) {
            retryAt = clock.getAsLong() + RETRY_NANOS;
            return;
        }
        for (EnvironmentName environment : environments) {
            if (scanned.contains(environment)) {
                continue;
            }
            try {
                int size = observed.size(environment);
                for (int page = 0; (long) page * PAGE < size; page++) {
                    observed.history(environment, page, PAGE).forEach(this::add);
                }
                scanned.add(environment);
            }
            catch (LedgerException e) {
                retryAt = clock.getAsLong() + RETRY_NANOS;
            }
        }
    }

    private synchronized void drain() {
        Ledger observed = requireLedger();
        for (LedgerEvent event = pending.poll(); event != null; event = pending.poll()) {
            try {
                add(observed.point(event.environment(), event.pointId()));
            }
            catch (LedgerException e) { // salvaged away meanwhile: nothing to index
                // the next scan (after invalidate) reads what is there
            }
        }
    }

    private void add(final RollbackPoint point) {
        PointSource source = point.source();
        if (source.kind() == PointSource.Kind.JENKINS) {
            PointRef ref = new PointRef(point.environment(), point.id());
            byBuild.computeIfAbsent(source.job(), job -> new ConcurrentHashMap<>())
                    .computeIfAbsent(source.build(), build -> new ConcurrentSkipListSet<>()).add(ref);
            byJob.computeIfAbsent(source.job(), job -> new ConcurrentHashMap<>())
                    .computeIfAbsent(point.environment(), environment -> new ConcurrentSkipListSet<>()).add(point.id());
        }
        if (point.revertOf() > 0) {
            reverts.merge(new PointRef(point.environment(), point.revertOf()), point.id(), Math::max);
        }
    }

    private Ledger requireLedger() {
        Ledger observed = ledger;
        if (observed == null) {
            throw new IllegalStateException("BuildIndex: attach(ledger) was not called");
        }
        return observed;
    }

    private static final int PAGE = 1000;
    private static final long RETRY_NANOS = 60_000_000_000L;
}
