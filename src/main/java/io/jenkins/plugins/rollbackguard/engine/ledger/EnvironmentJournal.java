package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;


/**
 * The files of one environment: {@code snapshot-<g>.json} (a compacted state, written by temp file,
 * fsync and atomic rename), {@code journal-<g>.jsonl} (events appended after that snapshot, each write
 * fsync'ed before it is acknowledged), {@code audit.jsonl} (journals already compacted) and
 * {@code ledger.lock}. Every operation holds the lock, first catches up with what other threads or
 * processes wrote, then reads or appends.
 */
final class EnvironmentJournal {
    static final String LOCK = "ledger.lock";
    static final String AUDIT = "audit.jsonl";

    private final Path dir;
    private final EnvironmentName environment;
    private final LedgerCodec codec;
    private final Ledger.Options options;
    private final SnapshotFiles snapshots;
    private EnvironmentState state;
    private long generation = -1; // -1: nothing loaded yet
    private long journalOffset;
    private long journalLines;
    private boolean orphansChecked;
    private final Runnable onDiskAccess;
    private final boolean readOnly;

    EnvironmentJournal(final Path dir, final EnvironmentName environment, final LedgerCodec codec,
                       final Ledger.Options options, final Runnable onDiskAccess, final boolean readOnly) {
        this.onDiskAccess = onDiskAccess;
        this.readOnly = readOnly;
        this.dir = dir;
        this.environment = environment;
        this.codec = codec;
        this.options = options;
        this.snapshots = new SnapshotFiles(dir, environment, codec, options);
        this.state = new EnvironmentState(environment, codec);
    }

    Path directory() {
        return dir;
    }

    /** The refusal of a write through a ledger opened for reading: a bug of the caller, said plainly. */
    static LedgerException readOnly(final EnvironmentName environment) {
        return new LedgerException(("the ledger of '%s' was opened for reading only (a dry run): nothing may be "
                + "recorded").formatted(environment), null);
    }

    /** Reads the up-to-date state. */
    <T> T read(final Function<EnvironmentState, T> query) {
        return locked(() -> query.apply(state));
    }

    /**
     * Changes the state: the mutation validates against the up-to-date state and appends records; they
     * are fsync'ed before this returns.
     */
    <T> T write(final Function<Appender, T> mutation) {
        if (readOnly) {
            throw readOnly(environment);
        }
        List<LedgerEvent> written = new ArrayList<>();
        T outcome = locked(() -> {
            Appender appender = new Appender();
            T result;
            try {
                result = mutation.apply(appender);
                List<LedgerEvent.Type> types = appender.events.stream().map(LedgerEvent::type).toList();
                if (!types.isEmpty()) {
                    options.writes().before(environment, types);
                }
                flush(appender.lines);
                if (!types.isEmpty()) {
                    options.writes().after(environment, types);
                }
            }
            catch (RuntimeException | IOException e) {
                generation = -1; // the state may hold records that never reached the disk: reload
                throw e;
            }
            written.addAll(appender.events);
            compactIfDue();
            return result;
        });
        publish(written);
        return outcome;
    }

    /** Tells the observer of events that are on disk; outside the locks, so that it cannot stall writers. */
    private void publish(final List<LedgerEvent> written) {
        for (LedgerEvent event : written) {
            try {
                options.events().accept(event);
            }
            catch (RuntimeException e) {
                options.warnings().accept("an observer of the ledger of '%s' failed on event %d: %s"
                        .formatted(environment, event.seq(), e));
            }
        }
    }

    private <T> T locked(final FileLocks.IoSupplier<T> action) {
        onDiskAccess.run();
        try {
            Files.createDirectories(dir);
            return FileLocks.withLock(dir.resolve(LOCK), () -> {
                refresh();
                recoverOrphans();
                return action.get();
            });
        }
        catch (IOException e) {
            throw new LedgerException("Cannot access the ledger of environment '%s' in %s: %s"
                    .formatted(environment, dir, e), e);
        }
    }

    private void refresh() throws IOException {
        if (generation < 0 || snapshots.changedSince(generation)) {
            reload();
        }
        else {
            tail();
        }
    }

    private void reload() throws IOException {
        state = new EnvironmentState(environment, codec);
        generation = snapshots.latestGeneration();
        if (generation > 0) {
            snapshots.load(generation, state);
        }
        journalOffset = 0;
        journalLines = 0;
        tail();
    }

    /** Reads the journal lines appended since the last look. */
    private void tail() throws IOException {
        Path journal = snapshots.journal(generation);
        long size;
        try {
            size = Files.size(journal);
        }
        catch (NoSuchFileException e) {
            return;
        }
        if (size < journalOffset) {
            throw new LedgerCorruptException(journal, journalLines, "the file shrank below data already read", null);
        }
        if (size == journalOffset) {
            return;
        }
        byte[] bytes = readRange(journal, journalOffset, size);
        int start = 0;
        while (start < bytes.length) {
            int newline = indexOf(bytes, start);
            if (newline < 0) {
                dropTornTail(journal, start, "an incomplete last line");
                break;
            }
            String line = new String(bytes, start, newline - start, StandardCharsets.UTF_8);
            journalLines++;
            if (!line.isBlank() && !applyLine(journal, line, newline + 1 >= bytes.length)) {
                journalLines--;
                dropTornTail(journal, start, "an unreadable last line");
                break;
            }
            start = newline + 1;
        }
        journalOffset += start;
    }

    /** Applies a line; returns false for an unreadable last line (torn), throws for one elsewhere. */
    private boolean applyLine(final Path journal, final String line, final boolean last) throws IOException {
        JournalRecord record;
        try {
            record = codec.readRecord(line);
        }
        catch (FormatTooNewException e) {
            throw new LedgerCorruptException(journal, journalLines, e.getMessage(), e);
        }
        catch (IOException | IllegalArgumentException e) {
            if (last) {
                return false;
            }
            throw new LedgerCorruptException(journal, journalLines,
                    "unreadable record (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (record.seq() > state.lastSeq()) {
            state.apply(record);
        }
        return true;
    }

    private void dropTornTail(final Path journal, final int start, final String what) throws IOException {
        long keep = journalOffset + start;
        options.warnings().accept("Ledger %s: dropped %s at byte %d (a write that was never acknowledged)"
                .formatted(journal, what, keep));
        if (readOnly) {
            return; // the next writer drops it
        }
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            channel.truncate(keep);
            channel.force(true);
        }
    }

    private void flush(final List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        Path journal = snapshots.journal(generation);
        boolean created = Files.notExists(journal);
        byte[] bytes = String.join("", lines).getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (options.fsync()) {
                channel.force(false);
            }
        }
        if (created && options.fsync()) {
            SnapshotFiles.fsyncDirectory(dir);
        }
        journalOffset += bytes.length;
        journalLines += lines.size();
    }

    private void compactIfDue() {
        if (journalLines <= options.journalBound(state.size())) {
            return;
        }
        try { // the caller holds the lock
            generation = snapshots.compact(generation, state);
            journalOffset = 0;
            journalLines = 0;
        }
        catch (IOException e) {
            // The journal still holds everything; compaction is retried after the next write.
            options.warnings().accept("Ledger %s: compaction failed, will retry: %s".formatted(dir, e));
        }
    }

    /** Marks in-flight points whose watcher process died on this host as INTERRUPTED, once per open. */
    private void recoverOrphans() throws IOException {
        if (orphansChecked || readOnly) { // a reader leaves the dead owners' points to the next writer
            return;
        }
        orphansChecked = true;
        Appender appender = new Appender();
        java.util.Map<String, Boolean> dead = new java.util.HashMap<>(); // one /proc look-up per owner, not per point
        for (long id : List.copyOf(state.inFlightIds())) {
            RollbackPoint point = state.require(id);
            if (point.owner() != null && dead.computeIfAbsent(point.owner(), Owners::isDead)) {
                appender.status(point, PointStatus.INTERRUPTED, "ledger",
                        "its watcher (" + point.owner() + ") is gone; the deploy's outcome is unknown", null);
            }
        }
        try {
            flush(appender.lines);
        }
        catch (IOException e) {
            generation = -1;
            options.warnings().accept("Ledger %s: cannot mark interrupted points: %s".formatted(dir, e));
        }
    }

    private static byte[] readRange(final Path file, final long from, final long to) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(to - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
                // keep reading until the range is complete
            }
            return buffer.array();
        }
    }

    private static int indexOf(final byte[] bytes, final int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reads every event ever written: the compacted journals, then the current one. */
    List<LedgerEvent> auditTrail() {
        return locked(() -> {
            List<LedgerEvent> events = new ArrayList<>();
            long last = 0;
            for (Path file : List.of(dir.resolve(AUDIT), snapshots.journal(generation))) {
                if (Files.exists(file)) {
                    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            last = readAuditLine(line, last, events);
                        }
                    }
                }
            }
            return events;
        });
    }

    private long readAuditLine(final String line, final long last, final List<LedgerEvent> events) {
        try {
            JournalRecord record = codec.readRecord(line);
            if (record.seq() > last) { // a compaction interrupted after copying may have copied twice
                events.add(record.event(environment));
                return record.seq();
            }
        }
        catch (IOException | IllegalArgumentException e) {
            options.warnings().accept("Ledger %s: skipped an unreadable audit line".formatted(dir));
        }
        return last;
    }

    /** Builds journal records with the next sequence numbers, applying each at once. */
    final class Appender {
        private final List<String> lines = new ArrayList<>();
        private final List<LedgerEvent> events = new ArrayList<>();

        EnvironmentState state() {
            return state;
        }

        void append(final JournalRecord draft) {
            JournalRecord record = new JournalRecord(LedgerCodec.formatOf(draft.type()), state.lastSeq() + 1, draft.at(), draft.type(),
                    draft.pointId(), draft.actor(), draft.reason(), draft.from(), draft.to(), draft.point(),
                    draft.circuit(), draft.lease());
            state.apply(record);
            lines.add(codec.write(record) + "\n");
            events.add(record.event(environment));
        }

        RollbackPoint status(final RollbackPoint point, final PointStatus to, final String actor, final String reason,
                             final String verdict) {
            if (!point.status().canMoveTo(to)) {
                throw new IllegalTransitionException(point, to);
            }
            var now = options.clock().get();
            RollbackPoint.Builder changed = point.toBuilder().status(to).updatedAt(now);
            if (to == PointStatus.WATCHING && point.deployedAt() == null) { // a resumed watch keeps when it first began
                changed.deployedAt(now);
            }
            if (!to.isInFlight()) {
                changed.owner(null);
            }
            else {
                changed.owner(options.owner());
            }
            if (to == PointStatus.GOOD || to == PointStatus.BAD || to == PointStatus.INCONCLUSIVE) {
                changed.decidedAt(now);
            }
            if (verdict != null) {
                changed.verdict(verdict);
            }
            RollbackPoint result = changed.build();
            append(new JournalRecord(0, 0, now, LedgerEvent.Type.STATUS_CHANGED, point.id(), actor, reason,
                    point.status(), to, result, null));
            return result;
        }
    }
}
