package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The points of one environment by id (dense from 1). Points that come from the snapshot stay as
 * byte ranges of the snapshot file until someone asks for them: opening a ledger of 100,000 points
 * then parses only the journal written since the snapshot, and a compaction copies untouched lines
 * without parsing them.
 */
final class PointTable {
    private final LedgerCodec codec;
    private RollbackPoint[] points = new RollbackPoint[16];
    private int size;
    private Path snapshot; // the file the offsets point into, or null
    private int snapshotFormat;
    private long[] offsets = new long[0]; // offsets[i]..offsets[i+1]-1 is the line of id i+1

    PointTable(final LedgerCodec codec) {
        this.codec = codec;
    }

    int size() {
        return size;
    }

    /** Takes the points of a snapshot as unparsed lines. */
    void attach(final Path file, final int format, final long[] lineStarts, final int count) {
        snapshot = file;
        snapshotFormat = format;
        offsets = lineStarts;
        size = count;
        points = new RollbackPoint[Math.max(16, count + count / 4)];
    }

    /**
     * Moves the points not parsed yet to a new snapshot that holds every point of this table (a compaction wrote
     * it); the points already parsed stay in memory.
     */
    void rebase(final Path file, final int format, final long[] lineStarts) {
        if (lineStarts.length - 1 != size) {
            throw new IllegalStateException("the new snapshot %s holds %d points, the table %d"
                    .formatted(file, lineStarts.length - 1, size));
        }
        snapshot = file;
        snapshotFormat = format;
        offsets = lineStarts;
    }

    void put(final RollbackPoint point) {
        int index = Math.toIntExact(point.id() - 1);
        if (index >= points.length) {
            points = Arrays.copyOf(points, Math.max(index + 1, points.length * 2));
        }
        points[index] = point;
        size = Math.max(size, index + 1);
    }

    RollbackPoint get(final long id) {
        int index = Math.toIntExact(id - 1);
        RollbackPoint point = points[index];
        if (point == null && index < offsets.length - 1) {
            point = parse(index);
            points[index] = point;
        }
        return point;
    }

    private RollbackPoint parse(final int index) {
        try (FileChannel channel = FileChannel.open(snapshot, StandardOpenOption.READ)) {
            String line = new String(read(channel, index), StandardCharsets.UTF_8);
            return codec.readPoint(line, snapshotFormat);
        }
        catch (IOException | IllegalArgumentException e) {
            throw new LedgerCorruptException(snapshot, index + 2L, "unreadable point (" + e.getMessage() + ")", e);
        }
    }

    private byte[] read(final FileChannel channel, final int index) throws IOException {
        long start = offsets[index];
        int length = Math.toIntExact(offsets[index + 1] - start - 1); // without the newline
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, start + buffer.position()) < 0) {
                throw new IOException("the snapshot ends early");
            }
        }
        return buffer.array();
    }

    /** Writes every point as one JSON line, copying lines that were never parsed as they are. */
    void writeTo(final OutputStream out) throws IOException {
        FileChannel channel = snapshot == null ? null : FileChannel.open(snapshot, StandardOpenOption.READ);
        try {
            for (int index = 0; index < size; index++) {
                RollbackPoint point = points[index];
                if (point == null && snapshotFormat == LedgerCodec.FORMAT && index < offsets.length - 1) {
                    out.write(read(channel, index));
                }
                else {
                    out.write(codec.write(get(index + 1L)).getBytes(StandardCharsets.UTF_8));
                }
                out.write('\n');
            }
        }
        finally {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
