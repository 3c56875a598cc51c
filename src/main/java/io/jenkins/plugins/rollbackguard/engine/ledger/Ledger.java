package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The durable record of rollback points, circuits and events, one directory per environment under a
 * root directory. Safe for many threads and for several processes sharing the root (the CLI and
 * Jenkins may): writes are serialised by a file lock and fsync'ed before they return.
 *
 * <pre>{@code
 * Ledger ledger = Ledger.open(Path.of("/var/lib/rollback-guard"));
 * RollbackPoint point = ledger.record(RollbackPoint.builder(env, PointSource.cli("run-1")), "alice", "deploy v2");
 * ledger.transition(env, point.id(), PointStatus.DEPLOYING, "guard", "deploy started");
 * }</pre>
 */
public final class Ledger {
    private final Path root;
    private final Options options;
    private final LedgerCodec codec = new LedgerCodec();
    private final Map<EnvironmentName, EnvironmentJournal> journals = new ConcurrentHashMap<>();
    private final AtomicLong diskAccesses = new AtomicLong();
    private final boolean readOnly;

    private Ledger(final Path root, final Options options, final boolean readOnly) {
        this.root = root;
        this.options = options;
        this.readOnly = readOnly;
    }

    /**
     * Opens (and creates if needed) a ledger with default options.
     *
     * @param root
     *         the root directory
     * @return the ledger
     */
    public static Ledger open(final Path root) {
        return open(root, Options.defaults());
    }

    /**
     * Opens (and creates if needed) a ledger.
     *
     * @param root
     *         the root directory
     * @param options
     *         durability, clock, warnings
     * @return the ledger
     * @throws LedgerException
     *         if the root cannot be created
     */
    public static Ledger open(final Path root, final Options options) {
        try {
            Files.createDirectories(root);
        }
        catch (IOException e) {
            throw new LedgerException("Cannot create the ledger directory %s: %s".formatted(root, e), e);
        }
        return new Ledger(root.toAbsolutePath().normalize(), options, false);
    }

    /**
     * Opens a ledger to read it only ({@code deploy --dry-run}): nothing is created, repaired or written, not even
     * the root directory, a torn last line or the INTERRUPTED record of a point whose owner died (the next writer
     * does those). Every write throws.
     *
     * @param root
     *         the root directory, which need not exist (a ledger with no environment)
     * @return the ledger
     */
    public static Ledger openForReading(final Path root) {
        return new Ledger(root.toAbsolutePath().normalize(), Options.defaults(), true);
    }

    /** @return the root directory */
    public Path root() {
        return root;
    }

    /**
     * Counts the operations of this instance that went to the disk: each one that took an environment's file lock
     * (and looked at its files) or listed the root directory. Callers that must not touch the disk on a hot path
     * (a Jenkins page, a transient action factory) are tested against it.
     *
     * @return how many such operations this instance ran
     */
    public long diskAccesses() {
        return diskAccesses.get();
    }

    /** @return the environments that have at least one record, sorted */
    public List<EnvironmentName> environments() {
        diskAccesses.incrementAndGet();
        TreeSet<EnvironmentName> names = new TreeSet<>();
        if (readOnly && !Files.isDirectory(root)) {
            return List.of();
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (EnvironmentName.isValid(name) && Files.exists(dir.resolve(EnvironmentJournal.LOCK))) {
                    names.add(EnvironmentName.of(name));
                }
            }
        }
        catch (IOException e) {
            throw new LedgerException("Cannot list the ledger directory %s: %s".formatted(root, e), e);
        }
        return List.copyOf(names);
    }

    /**
     * Records a new rollback point with the next id, status RECORDED (or ADOPTED if the draft says so).
     *
     * @param draft
     *         the point's values
     * @param actor
     *         who records it
     * @param reason
     *         why, for the audit trail
     * @return the recorded point
     */
    public RollbackPoint record(final RollbackPoint.Builder draft, final String actor, final String reason) {
        RollbackPoint values = draft.build();
        return journal(values.environment(), true).write(append -> {
            EnvironmentState state = append.state();
            if (values.revertOf() > 0) {
                state.require(values.revertOf());
            }
            Instant now = options.clock().get();
            PointStatus status = values.status() == PointStatus.ADOPTED ? PointStatus.ADOPTED : PointStatus.RECORDED;
            RollbackPoint point = values.toBuilder().id(state.size() + 1L).status(status)
                    .owner(status.isInFlight() ? options.owner() : null)
                    .createdAt(now).updatedAt(now).build();
            append.append(new JournalRecord(0, 0, now, LedgerEvent.Type.POINT_RECORDED, point.id(), actor, reason,
                    null, status, point, null));
            return point;
        });
    }

    /**
     * Moves a point in its lifecycle.
     *
     * @param environment
     *         the environment
     * @param id
     *         the point
     * @param to
     *         the new status
     * @param actor
     *         who moves it
     * @param reason
     *         why
     * @return the changed point
     * @throws IllegalTransitionException
     *         if the lifecycle does not allow the move
     */
    public RollbackPoint transition(final EnvironmentName environment, final long id, final PointStatus to,
                                    final String actor, final String reason) {
        return transition(environment, id, to, actor, reason, null);
    }

    /**
     * Moves a point in its lifecycle and records the verdict's explanation.
     *
     * @param environment
     *         the environment
     * @param id
     *         the point
     * @param to
     *         the new status
     * @param actor
     *         who moves it
     * @param reason
     *         why
     * @param verdict
     *         the one-line explanation to keep on the point, or null to keep the old one
     * @return the changed point
     */
    public RollbackPoint transition(final EnvironmentName environment, final long id, final PointStatus to,
                                    final String actor, final String reason, final String verdict) {
        return journal(environment, false).write(
                append -> append.status(append.state().require(id), to, actor, reason, verdict));
    }

    /**
     * Moves a point in its lifecycle and changes its values in the same record: one write, so that no reader (and
     * no restart) ever sees the new status without the values that go with it (a guard's state).
     *
     * @param environment
     *         the environment
     * @param id
     *         the point
     * @param to
     *         the new status
     * @param actor
     *         who moves it
     * @param reason
     *         why
     * @param verdict
     *         the one-line explanation to keep on the point, or null to keep the old one
     * @param change
     *         the change of values (attributes); status and id stay as the transition sets them
     * @return the changed point
     * @throws IllegalTransitionException
     *         if the lifecycle does not allow the move
     */
    public RollbackPoint transition(final EnvironmentName environment, final long id, final PointStatus to,
                                    final String actor, final String reason, final String verdict,
                                    final UnaryOperator<RollbackPoint.Builder> change) {
        return journal(environment, false).write(append -> {
            RollbackPoint before = append.state().require(id);
            RollbackPoint changed = change.apply(before.toBuilder()).id(id).status(before.status()).build();
            return append.status(changed, to, actor, reason, verdict);
        });
    }

    /**
     * Changes a point's values (backups, artifacts, attributes); its status and id stay.
     *
     * @param environment
     *         the environment
     * @param id
     *         the point
     * @param actor
     *         who changes it
     * @param reason
     *         why
     * @param change
     *         the change
     * @return the changed point
     */
    public RollbackPoint update(final EnvironmentName environment, final long id, final String actor,
                                final String reason, final UnaryOperator<RollbackPoint.Builder> change) {
        return journal(environment, false).write(append -> {
            RollbackPoint before = append.state().require(id);
            Instant now = options.clock().get();
            RollbackPoint after = change.apply(before.toBuilder()).id(id).status(before.status()).updatedAt(now).build();
            append.append(new JournalRecord(0, 0, now, LedgerEvent.Type.POINT_UPDATED, id, actor, reason, null, null,
                    after, null));
            return after;
        });
    }

    /**
     * Records a person's decision about a point, with who and why, in one record of its own ({@link
     * LedgerEvent.Type#DECISION}): a mark (a new status), a resumed watch or a data-version override (changed values).
     *
     * @param environment
     *         the environment
     * @param id
     *         the point
     * @param to
     *         the status the decision gives the point, or null to keep its status
     * @param actor
     *         who decided; required
     * @param reason
     *         why; required
     * @param change
     *         the change of values that goes with it; status and id stay as the decision sets them
     * @return the point after the decision
     * @throws IllegalArgumentException
     *         if the actor or the reason is blank
     * @throws IllegalTransitionException
     *         if the lifecycle does not allow the new status
     */
    public RollbackPoint decide(final EnvironmentName environment, final long id, final PointStatus to,
                                final String actor, final String reason,
                                final UnaryOperator<RollbackPoint.Builder> change) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason: a reason is required for a decision about %s#%d; give one with --reason"
                    .formatted(environment, id));
        }
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor: the decision about %s#%d needs the name of who decides"
                    .formatted(environment, id));
        }
        return journal(environment, false).write(append -> {
            RollbackPoint before = append.state().require(id);
            PointStatus status = to == null ? before.status() : to;
            if (status != before.status() && !before.status().canMoveTo(status)) {
                throw new IllegalTransitionException(before, status);
            }
            Instant now = options.clock().get();
            RollbackPoint.Builder changed = change.apply(before.toBuilder()).id(id).status(status).updatedAt(now);
            if (status != before.status()) {
                changed.owner(status.isInFlight() ? options.owner() : null);
                if (status == PointStatus.GOOD || status == PointStatus.BAD) {
                    changed.decidedAt(now);
                }
            }
            RollbackPoint after = changed.build();
            append.append(new JournalRecord(0, 0, now, LedgerEvent.Type.DECISION, id, actor, reason.strip(),
                    before.status(), status, after, null));
            return after;
        });
    }

    /**
     * Adds a line to the environment's timeline (a phase, a hook's output, a notification).
     *
     * @param environment
     *         the environment
     * @param pointId
     *         the point concerned, or 0
     * @param actor
     *         who writes it
     * @param message
     *         the line, already masked
     */
    public void note(final EnvironmentName environment, final long pointId, final String actor, final String message) {
        journal(environment, false).write(append -> {
            if (pointId > 0) {
                append.state().require(pointId);
            }
            append.append(new JournalRecord(0, 0, options.clock().get(), LedgerEvent.Type.NOTE, pointId, actor,
                    message, null, null, null, null));
            return null;
        });
    }

    /**
     * Opens the circuit: the environment is frozen until {@link #resetCircuit}. Opening an open circuit
     * keeps its first reason.
     *
     * @param environment
     *         the environment
     * @param reason
     *         why
     * @param actor
     *         who or what opened it
     * @param pointId
     *         the point that tripped it, or 0
     * @return the circuit
     */
    public Circuit openCircuit(final EnvironmentName environment, final String reason, final String actor,
                               final long pointId) {
        return journal(environment, true).write(append -> {
            Circuit current = append.state().circuit();
            if (current.isOpen()) {
                return current;
            }
            Instant now = options.clock().get();
            Circuit open = new Circuit(Circuit.State.OPEN, reason, now, actor, pointId);
            append.append(new JournalRecord(0, 0, now, LedgerEvent.Type.CIRCUIT_OPENED, pointId, actor, reason, null,
                    null, null, open));
            return open;
        });
    }

    /**
     * Closes the circuit again. A circuit that is closed already stays as it is and nothing is recorded (compare
     * the circuit returned with the one before to tell).
     *
     * @param environment
     *         the environment
     * @param reason
     *         why it is safe to deploy again; required
     * @param actor
     *         who resets it
     * @return the closed circuit
     * @throws IllegalArgumentException
     *         if the reason is blank
     */
    public Circuit resetCircuit(final EnvironmentName environment, final String reason, final String actor) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason: a reason is required to reset the circuit of " + environment);
        }
        return journal(environment, false).write(append -> {
            Circuit current = append.state().circuit();
            if (!current.isOpen()) {
                return current; // nothing to reset: a reset of a closed circuit is not recorded
            }
            Instant now = options.clock().get();
            Circuit closed = new Circuit(Circuit.State.CLOSED, reason, now, actor, 0);
            append.append(new JournalRecord(0, 0, now, LedgerEvent.Type.CIRCUIT_RESET, 0, actor, reason, null, null,
                    null, closed));
            return closed;
        });
    }

    /**
     * Takes an environment's lease by compare-and-set under the ledger's lock: granted when it is free, when the
     * caller already holds it (a re-confirmation: the epoch stays, as when a resumed run takes its lease again), or
     * when its holder is one the caller's liveness says is dead (the take records that owner as found dead).
     * Otherwise nothing is written and the holder's lease is returned. Creates the environment if needed.
     *
     * @param environment
     *         the environment
     * @param owner
     *         who takes it ({@code cli:<host>:<pid>:<start>} or {@code jenkins:<job#build>})
     * @param liveness
     *         tells whether the current holder is certainly gone
     * @return whether it was granted, and the lease after the attempt
     */
    public LeaseClaim takeLease(final EnvironmentName environment, final String owner,
                                final io.jenkins.plugins.rollbackguard.engine.spi.OwnerLiveness liveness) {
        requireOwner(owner);
        Objects.requireNonNull(liveness, "liveness");
        return journal(environment, true).write(append -> {
            Lease current = append.state().lease();
            Instant now = options.clock().get();
            if (current.isHeld() && current.owner().equals(owner)) {
                Lease confirmed = new Lease(owner, current.epoch(), current.since(), now);
                append.append(leaseRecord(now, LedgerEvent.Type.LEASE_RENEWED, owner,
                        "re-confirmed by its owner (epoch %d)".formatted(current.epoch()), confirmed));
                return new LeaseClaim(true, confirmed, null);
            }
            String dead = null;
            if (current.isHeld()) {
                if (!liveness.isDead(current.owner())) {
                    return new LeaseClaim(false, current, null);
                }
                dead = current.owner();
            }
            Lease taken = new Lease(owner, current.epoch() + 1, now, now);
            String reason = dead == null ? "taken (epoch %d)".formatted(taken.epoch())
                    : "taken over (epoch %d) from %s (epoch %d, since %s): its owner was found dead"
                            .formatted(taken.epoch(), dead, current.epoch(), current.since());
            append.append(leaseRecord(now, LedgerEvent.Type.LEASE_TAKEN, owner, reason, taken));
            return new LeaseClaim(true, taken, dead);
        });
    }

    /**
     * Renews a lease its holder still holds (a heartbeat).
     *
     * @param environment
     *         the environment
     * @param owner
     *         the holder
     * @param epoch
     *         the epoch it took the lease at
     * @return the renewed lease
     * @throws LeaseLostException
     *         if the lease was broken or taken over since
     */
    public Lease renewLease(final EnvironmentName environment, final String owner, final long epoch) {
        requireOwner(owner);
        return journal(environment, false).write(append -> {
            Lease current = append.state().lease();
            if (!current.isHeldBy(owner, epoch)) {
                throw new LeaseLostException("the lease of environment '%s' (epoch %d) is no longer held by %s: it is %s"
                        .formatted(environment, epoch, owner, current.describe()));
            }
            Instant now = options.clock().get();
            Lease renewed = new Lease(owner, epoch, current.since(), now);
            append.append(leaseRecord(now, LedgerEvent.Type.LEASE_RENEWED, owner, "renewed (epoch %d)".formatted(epoch),
                    renewed));
            return renewed;
        });
    }

    /**
     * Releases a lease if its holder still holds it at that epoch; a lease broken or taken over meanwhile is left
     * alone.
     *
     * @param environment
     *         the environment
     * @param owner
     *         the holder
     * @param epoch
     *         the epoch it took the lease at
     * @return whether it was released
     */
    public boolean releaseLease(final EnvironmentName environment, final String owner, final long epoch) {
        requireOwner(owner);
        return journal(environment, false).write(append -> {
            Lease current = append.state().lease();
            if (!current.isHeldBy(owner, epoch)) {
                return false;
            }
            Instant now = options.clock().get();
            append.append(leaseRecord(now, LedgerEvent.Type.LEASE_RELEASED, owner,
                    "released (epoch %d)".formatted(epoch), new Lease(null, epoch, now, null)));
            return true;
        });
    }

    /**
     * Breaks whatever lease an environment has, by hand: the actor and reason go in the audit trail.
     *
     * @param environment
     *         the environment
     * @param actor
     *         who breaks it
     * @param reason
     *         why it is safe; required
     * @return the lease that was broken, or empty if nobody held it (then nothing is recorded)
     * @throws IllegalArgumentException
     *         if the reason is blank
     */
    public Optional<Lease> breakLease(final EnvironmentName environment, final String actor, final String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason: a reason is required to break the lease of " + environment
                    + "; give one with --reason");
        }
        return journal(environment, false).write(append -> {
            Lease current = append.state().lease();
            if (!current.isHeld()) {
                return Optional.<Lease>empty();
            }
            Instant now = options.clock().get();
            append.append(leaseRecord(now, LedgerEvent.Type.LEASE_BROKEN, actor,
                    "%s (it was held by %s since %s, epoch %d)".formatted(reason, current.owner(), current.since(),
                            current.epoch()), new Lease(null, current.epoch(), now, null)));
            return Optional.of(current);
        });
    }

    /**
     * Returns an environment's lease if someone holds it.
     *
     * @param environment
     *         the environment
     * @return the held lease, or empty when free
     */
    public Optional<Lease> lease(final EnvironmentName environment) {
        return journal(environment, false).read(state -> Optional.of(state.lease()).filter(Lease::isHeld));
    }

    private static JournalRecord leaseRecord(final Instant at, final LedgerEvent.Type type, final String actor,
                                             final String reason, final Lease lease) {
        return new JournalRecord(0, 0, at, type, 0, actor, reason, null, null, null, null, lease);
    }

    private static void requireOwner(final String owner) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("lease owner: an owner name is required, e.g. cli:<host>:<pid>:<start>");
        }
    }

    /**
     * Returns the newest GOOD or ADOPTED point that no failed revert returned to ({@link RollbackPoint#isRestorable}),
     * in constant time.
     *
     * @param environment
     *         the environment
     * @return the last good point, if any
     */
    public Optional<RollbackPoint> lastGood(final EnvironmentName environment) {
        return journal(environment, false).read(EnvironmentState::lastGood);
    }

    /**
     * Returns a point.
     *
     * @param environment
     *         the environment
     * @param id
     *         its id
     * @return the point
     * @throws UnknownPointException
     *         if there is no such point
     */
    public RollbackPoint point(final EnvironmentName environment, final long id) {
        return journal(environment, false).read(state -> state.require(id));
    }

    /**
     * Returns why a point's verdict is what it is, as data: the rule, the metric and its unit, the baseline, the
     * observed value and its change against the baseline, the threshold, the window and the sample size, with a line
     * that gives them with their units ({@code VerdictExplanation.text()}). This is what {@code --json}, webhooks and
     * the build page show of a verdict; it is written once, with the verdict.
     *
     * @param environment
     *         the environment
     * @param id
     *         the point
     * @return the explanation; empty before a verdict, for a point a person marked, and for one decided by an older
     *         version
     * @throws UnknownPointException
     *         if there is no such point
     */
    public Optional<io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation> explanation(
            final EnvironmentName environment, final long id) {
        return Optional.ofNullable(point(environment, id).explanation());
    }

    /**
     * Returns several points in one read (one lock, one look at the files).
     *
     * @param environment
     *         the environment
     * @param ids
     *         the ids, in the order wanted; ids with no point are left out
     * @return the points found, in the order of {@code ids}
     */
    public List<RollbackPoint> points(final EnvironmentName environment, final List<Long> ids) {
        return journal(environment, false).read(state -> {
            List<RollbackPoint> result = new ArrayList<>(ids.size());
            for (long id : ids) {
                if (id >= 1 && id <= state.size()) {
                    result.add(state.require(id));
                }
            }
            return result;
        });
    }

    /**
     * Returns a page of the history, newest first.
     *
     * @param environment
     *         the environment
     * @param page
     *         the page, from 0
     * @param size
     *         points per page, 1 to 1000
     * @return the points of that page
     */
    public List<RollbackPoint> history(final EnvironmentName environment, final int page, final int size) {
        if (page < 0 || size < 1 || size > 1000) {
            throw new IllegalArgumentException("page/size: need page >= 0 and 1 <= size <= 1000, got %d/%d".formatted(page, size));
        }
        return journal(environment, false).read(state -> {
            List<RollbackPoint> result = new ArrayList<>(size);
            for (long id = state.size() - (long) page * size; id >= 1 && result.size() < size; id--) {
                result.add(state.require(id));
            }
            return result;
        });
    }

    /**
     * Returns how many points an environment has.
     *
     * @param environment
     *         the environment
     * @return the count
     */
    public int size(final EnvironmentName environment) {
        return journal(environment, false).read(EnvironmentState::size);
    }

    /**
     * Returns an environment's circuit.
     *
     * @param environment
     *         the environment
     * @return the circuit
     */
    public Circuit circuit(final EnvironmentName environment) {
        return journal(environment, false).read(EnvironmentState::circuit);
    }

    /**
     * Returns the most recent events, oldest first.
     *
     * @param environment
     *         the environment
     * @param limit
     *         at most this many (the ledger keeps the last 500 at hand; see {@link #auditTrail})
     * @return the events
     */
    public List<LedgerEvent> events(final EnvironmentName environment, final int limit) {
        return journal(environment, false).read(state -> {
            List<LedgerEvent> all = state.recentEvents();
            return all.subList(Math.max(0, all.size() - limit), all.size());
        });
    }

    /**
     * Reads the whole audit trail of an environment from disk.
     *
     * @param environment
     *         the environment
     * @return every event ever recorded, oldest first
     */
    public List<LedgerEvent> auditTrail(final EnvironmentName environment) {
        return journal(environment, false).auditTrail();
    }

    /**
     * Returns the DORA figures of an environment.
     *
     * @param environment
     *         the environment
     * @return the figures
     */
    public DoraFigures dora(final EnvironmentName environment) {
        return journal(environment, false).read(state -> state.dora().figures(environment,
                state.incidents().figures(environment)));
    }

    /**
     * Returns the incident figures of an environment: time to detect, time to restore and incident duration of each
     * incident, and its drills apart (docs/ledger.md, "Incident figures").
     *
     * @param environment
     *         the environment
     * @return the figures
     */
    public IncidentFigures incidents(final EnvironmentName environment) {
        return journal(environment, false).read(state -> state.incidents().figures(environment));
    }

    /**
     * Returns the incident a point started (it became BAD) or ended (it restored the environment), or the drill it
     * was.
     *
     * @param environment
     *         the environment
     * @param pointId
     *         the point
     * @return the incident, if the point had a part in one
     */
    public Optional<Incident> incident(final EnvironmentName environment, final long pointId) {
        return journal(environment, false).read(state -> state.incidents().of(pointId));
    }

    /**
     * Rebuilds an environment whose files are corrupt from every readable record, moving the damaged
     * files aside ({@code .corrupt-<time>}).
     *
     * @param environment
     *         the environment
     * @return what was kept and what was dropped
     */
    public SalvageReport salvage(final EnvironmentName environment) {
        SalvageReport report = new LedgerSalvage(root.resolve(environment.value()), environment, codec, options).run();
        journals.remove(environment);
        return report;
    }

    private EnvironmentJournal journal(final EnvironmentName environment, final boolean create) {
        Objects.requireNonNull(environment, "environment");
        Path dir = root.resolve(environment.value());
        if (!create && !Files.exists(dir.resolve(EnvironmentJournal.LOCK))) {
            throw new UnknownEnvironmentException(environment, environments());
        }
        if (create && readOnly && !Files.exists(dir.resolve(EnvironmentJournal.LOCK))) {
            throw EnvironmentJournal.readOnly(environment);
        }
        return journals.computeIfAbsent(environment, env -> new EnvironmentJournal(dir, env, codec, options,
                diskAccesses::incrementAndGet, readOnly));
    }

    /**
     * How the ledger writes and what it tells.
     *
     * @param fsync
     *         whether each write is fsync'ed before it returns (turn off only to build benchmark data)
     * @param compactAfter
     *         journal lines after which a snapshot is written (at least as many as there are points)
     * @param clock
     *         the time source for timestamps
     * @param warnings
     *         receives warnings such as a dropped torn line
     * @param owner
     *         the name of this process for in-flight points
     * @param events
     *         told of each event this process writes, once it is on disk, outside the ledger's locks (e.g.
     *         to post it to webhooks); must not block; what it throws becomes a warning
     * @param writes
     *         told before and after each write reaches the disk; what it throws reaches the writer (a restart test
     *         stops a host there, just before or just after a record is durable)
     */
    public record Options(boolean fsync, int compactAfter, Supplier<Instant> clock, Consumer<String> warnings,
                          String owner, Consumer<LedgerEvent> events, WriteHook writes) {
        /**
         * The most journal lines an environment keeps before it compacts: {@code compactAfter}, or a fiftieth of its
         * points if that is more. A cold open replays the journal line by line (each a whole record, parsed; snapshot
         * points stay unparsed byte ranges), so this bounds it: at most 2,000 lines at 1e5 points. Compaction still
         * costs amortised O(1) per record, since it runs once per {@code points / 50} records.
         *
         * @param points
         *         the environment's points
         * @return the bound
         */
        public int journalBound(final int points) {
            return Math.max(compactAfter, points / 50);
        }

        /** @return fsync on, compaction after 2,000 lines (or a fiftieth of the points), system clock, warnings to standard error */
        public static Options defaults() {
            return new Options(true, 2_000, Instant::now, message -> System.err.println("WARNING: " + message),
                    Owners.current(), event -> { }, WriteHook.NONE);
        }

        /** @param value whether to fsync @return a copy */
        public Options withFsync(final boolean value) {
            return new Options(value, compactAfter, clock, warnings, owner, events, writes);
        }

        /** @param value lines before compaction @return a copy */
        public Options withCompactAfter(final int value) {
            return new Options(fsync, value, clock, warnings, owner, events, writes);
        }

        /** @param value the clock @return a copy */
        public Options withClock(final Supplier<Instant> value) {
            return new Options(fsync, compactAfter, value, warnings, owner, events, writes);
        }

        /** @param value the warnings sink @return a copy */
        public Options withWarnings(final Consumer<String> value) {
            return new Options(fsync, compactAfter, clock, value, owner, events, writes);
        }

        /** @param value the owner name @return a copy */
        public Options withOwner(final String value) {
            return new Options(fsync, compactAfter, clock, warnings, value, events, writes);
        }

        /** @param value told before and after each write reaches the disk (restart tests) @return a copy */
        public Options withWrites(final WriteHook value) {
            return new Options(fsync, compactAfter, clock, warnings, owner, events, value);
        }

        /** @param value told of each event written by this process @return a copy */
        public Options withEvents(final Consumer<LedgerEvent> value) {
            return new Options(fsync, compactAfter, clock, warnings, owner, value, writes);
        }
    }

    /**
     * Told around every write of this process: before its records reach the disk and after they are durable. The
     * guard's restart tests throw from here to stop a host at each of its ledger writes; production uses
     * {@link #NONE}.
     */
    public interface WriteHook {
        /** Does nothing. */
        WriteHook NONE = new WriteHook() { };

        /**
         * Called before records are written; a throw leaves the ledger as it was.
         *
         * @param environment
         *         the environment
         * @param types
         *         the types of the records about to be written
         */
        default void before(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
        }

        /**
         * Called once records are durable, still under the environment's lock; a throw reaches the writer.
         *
         * @param environment
         *         the environment
         * @param types
         *         the types of the records written
         */
        default void after(final EnvironmentName environment, final List<LedgerEvent.Type> types) {
        }
    }
}
