package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.BufferedReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Snapshots of one environment. Generation g is {@code snapshot-<g>.json} plus the events appended
 * after it in {@code journal-<g>.jsonl}; generation 0 has no snapshot. A new snapshot is written to a
 * temp file, fsync'ed and renamed atomically, so the newest complete snapshot is always whole.
 */
final class SnapshotFiles {
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d+)\\.json");

    private final Path dir;
    private final EnvironmentName environment;
    private final LedgerCodec codec;
    private final Ledger.Options options;

    SnapshotFiles(final Path dir, final EnvironmentName environment, final LedgerCodec codec,
                  final Ledger.Options options) {
        this.dir = dir;
        this.environment = environment;
        this.codec = codec;
        this.options = options;
    }

    Path snapshot(final long generation) {
        return dir.resolve("snapshot-" + generation + ".json");
    }

    Path journal(final long generation) {
        return dir.resolve("journal-" + generation + ".jsonl");
    }

    /** Cheap check (two stats) whether another writer compacted since {@code generation} was loaded. */
    boolean changedSince(final long generation) {
        return Files.exists(snapshot(generation + 1)) || generation > 0 && Files.notExists(snapshot(generation));
    }

    long latestGeneration() throws IOException {
        long latest = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot-*.json")) {
            for (Path file : files) {
                Matcher matcher = SNAPSHOT.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    latest = Math.max(latest, Long.parseLong(matcher.group(1)));
                }
            }
        }
        return latest;
    }

    Path index(final long generation) {
        return dir.resolve("snapshot-" + generation + ".idx");
    }

    void load(final long generation, final EnvironmentState state) throws IOException {
        Path file = snapshot(generation);
        long[] lineStarts = readIndex(generation).orElse(null);
        if (lineStarts == null) {
            lineStarts = lineStarts(file);
        }
        if (lineStarts.length < 2) {
            throw new LedgerCorruptException(file, 1, "empty snapshot", null);
        }
        String first;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            first = reader.readLine();
        }
        SnapshotHeader header = codec.readHeader(first).orElse(null);
        int format;
        if (header != null) {
            format = header.format();
        }
        else {
            JsonNode headerNode = parse(file, 1, first);
            format = headerNode.path("format").asInt(1);
            header = convert(file, 1, codec.migrate(headerNode, format), SnapshotHeader.class);
        }
        int count = lineStarts.length - 2; // the header line, and the end of the file
        if (count != header.points()) {
            throw new LedgerCorruptException(file, count + 1L, "expected %d points, found %d".formatted(header.points(), count), null);
        }
        state.restoreHeader(header.lastSeq(), header.circuit(), header.lease());
        restoreDora(state.dora(), header);
        state.incidents().restore(header.incidents());
        header.recent().forEach(state::remember);
        state.table().attach(file, format, Arrays.copyOfRange(lineStarts, 1, lineStarts.length), count);
        if (header.restorable() != null && header.inFlight() != null) {
            state.restoreIndexes(header.restorable(), header.inFlight());
        }
        else { // an older snapshot without indexes: parse every point once
            for (long id = 1; id <= count; id++) {
                state.put(state.require(id));
            }
        }
    }

    /**
     * Reads the line offsets saved beside a snapshot; a missing or inconsistent index (a crash between
     * the two files, a hand-edited snapshot) is ignored and the snapshot scanned instead.
     */
    private java.util.Optional<long[]> readIndex(final long generation) throws IOException {
        Path index = index(generation);
        if (Files.notExists(index)) {
            return java.util.Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(index);
        if (bytes.length % Long.BYTES != 0 || bytes.length < 2 * Long.BYTES) {
            return java.util.Optional.empty();
        }
        long[] starts = new long[bytes.length / Long.BYTES];
        ByteBuffer.wrap(bytes).asLongBuffer().get(starts);
        boolean consistent = starts[0] == 0 && starts[starts.length - 1] == Files.size(snapshot(generation));
        return consistent ? java.util.Optional.of(starts) : java.util.Optional.empty();
    }

    private long[] writeIndex(final long generation) throws IOException {
        long[] starts = lineStarts(snapshot(generation));
        ByteBuffer buffer = ByteBuffer.allocate(starts.length * Long.BYTES);
        buffer.asLongBuffer().put(starts);
        Path temp = dir.resolve(index(generation).getFileName() + ".tmp");
        Files.write(temp, buffer.array());
        Files.move(temp, index(generation), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return starts;
    }

    /** Finds where each line starts; the last element is the file's length. */
    private static long[] lineStarts(final Path file) throws IOException {
        long[] starts = new long[1024];
        int count = 1; // starts[0] = 0
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            long position = 0;
            int read;
            while ((read = channel.read(buffer)) > 0) {
                byte[] bytes = buffer.array();
                for (int i = 0; i < read; i++) {
                    if (bytes[i] == '\n') {
                        if (count == starts.length) {
                            starts = Arrays.copyOf(starts, count * 2);
                        }
                        starts[count++] = position + i + 1;
                    }
                }
                position += read;
                buffer.clear();
            }
            if (starts[count - 1] != position) {
                throw new LedgerCorruptException(file, count, "the last line has no end (a snapshot is always whole)", null);
            }
        }
        return Arrays.copyOf(starts, count);
    }

    private static void restoreDora(final EnvironmentState.DoraCounters dora, final SnapshotHeader header) {
        dora.deploys = header.deploys();
        dora.failures = header.failures();
        dora.restoreMillis = new ArrayList<>(header.restoreMillis() == null ? List.of() : header.restoreMillis());
        dora.failingSince = header.failingSince();
    }

    private JsonNode parse(final Path file, final long line, final String text) {
        try {
            return codec.tree(text);
        }
        catch (IOException e) {
            throw new LedgerCorruptException(file, line, "not JSON", e);
        }
    }

    private <T> T convert(final Path file, final long line, final JsonNode node, final Class<T> type) {
        try {
            return codec.read(node, type);
        }
        catch (IOException | IllegalArgumentException e) {
            throw new LedgerCorruptException(file, line, e.getMessage(), e);
        }
    }

    /**
     * Writes the state as generation {@code generation + 1}, after copying the current journal to the
     * audit file, then removes the old generation. The caller holds the lock.
     *
     * @return the new generation
     */
    long compact(final long generation, final EnvironmentState state) throws IOException {
        Path journal = journal(generation);
        if (Files.exists(journal)) {
            appendToAudit(journal);
        }
        long next = generation + 1;
        long[] lineStarts = write(next, state);
        // The points not parsed yet are byte ranges of the old snapshot, which is deleted next: point them into the
        // new one, or a long-lived process (a Jenkins controller) reads them as corrupt and can never compact again.
        state.table().rebase(snapshot(next), LedgerCodec.FORMAT, Arrays.copyOfRange(lineStarts, 1, lineStarts.length));
        Files.deleteIfExists(journal);
        if (generation > 0) {
            Files.deleteIfExists(snapshot(generation));
            Files.deleteIfExists(index(generation));
        }
        return next;
    }

    /** Writes a snapshot and its index; returns where each of its lines starts (the last element is its length). */
    long[] write(final long generation, final EnvironmentState state) throws IOException {
        Path target = snapshot(generation);
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        EnvironmentState.DoraCounters dora = state.dora();
        SnapshotHeader header = new SnapshotHeader(LedgerCodec.FORMAT, generation, state.lastSeq(), state.size(),
                state.circuit(), dora.deploys, dora.failures, dora.restoreMillis, dora.failingSince,
                state.recentEvents(), List.copyOf(state.restorableIds()), List.copyOf(state.inFlightIds()), state.lease(),
                state.incidents().list());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
            out.write(codec.write(header).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            state.table().writeTo(out);
        }
        fsync(temp);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(dir);
        return writeIndex(generation); // the index is only a speed-up: not fsync'ed, checked against the snapshot on load
    }

    private void appendToAudit(final Path journal) throws IOException {
        Path audit = dir.resolve(EnvironmentJournal.AUDIT);
        try (FileChannel in = FileChannel.open(journal, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(audit, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.APPEND)) {
            long position = 0;
            long size = in.size();
            while (position < size) {
                position += in.transferTo(position, size - position, out);
            }
            if (options.fsync()) {
                out.force(false);
            }
        }
    }

    private void fsync(final Path file) throws IOException {
        if (options.fsync()) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
    }

    /**
     * Makes a directory's entries durable (a new or renamed file). Some file systems refuse to open a
     * directory for this; then there is nothing more to do.
     *
     * @param directory
     *         the directory
     */
    static void fsyncDirectory(final Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
        catch (IOException e) {
            // not supported on this platform (e.g. Windows): the rename itself is still atomic
        }
    }

    EnvironmentName environment() {
        return environment;
    }
}
