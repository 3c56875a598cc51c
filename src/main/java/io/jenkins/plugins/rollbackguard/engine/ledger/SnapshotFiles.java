package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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

    void load(final long generation, final EnvironmentState state) throws IOException {
        Path file = snapshot(generation);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            if (first == null) {
                throw new LedgerCorruptException(file, 1, "empty snapshot", null);
            }
            JsonNode headerNode = parse(file, 1, first);
            int format = headerNode.path("format").asInt(1);
            SnapshotHeader header = convert(file, 1, codec.migrate(headerNode, format), SnapshotHeader.class);
            state.restoreHeader(header.lastSeq(), header.circuit());
            restoreDora(state.dora(), header);
            header.recent().forEach(state::remember);
            long line = 1;
            String text;
            while ((text = reader.readLine()) != null) {
                line++;
                state.put(convert(file, line, codec.migrate(parse(file, line, text), format), RollbackPoint.class));
            }
            if (line - 1 != header.points()) {
                throw new LedgerCorruptException(file, line, "expected %d points, found %d".formatted(header.points(), line - 1), null);
            }
        }
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
        write(next, state);
        Files.deleteIfExists(journal);
        if (generation > 0) {
            Files.deleteIfExists(snapshot(generation));
        }
        return next;
    }

    void write(final long generation, final EnvironmentState state) throws IOException {
        Path target = snapshot(generation);
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        EnvironmentState.DoraCounters dora = state.dora();
        List<RollbackPoint> points = state.points();
        SnapshotHeader header = new SnapshotHeader(LedgerCodec.FORMAT, generation, state.lastSeq(), points.size(),
                state.circuit(), dora.deploys, dora.failures, dora.restoreMillis, dora.failingSince,
                state.recentEvents());
        try (OutputStream out = Files.newOutputStream(temp);
             BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            writer.write(codec.write(header));
            writer.write('\n');
            for (RollbackPoint point : points) {
                writer.write(codec.write(point));
                writer.write('\n');
            }
        }
        fsync(temp);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(dir);
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
