package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip that compresses blocks in parallel, as {@code pigz} does: each block becomes a complete gzip member, and
 * members are written in order. Any gzip reader ({@code gunzip}, {@code tar -xz}, commons-compress with
 * concatenation) reads the result as one stream. Why not one zlib stream: deflate runs at tens of MB/s per core
 * and is the bottleneck of a file backup; blocks let both cores compress while the caller reads and hashes.
 */
final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK_SIZE = 1024 * 1024;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

    private final OutputStream out;
    private final int level;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private byte[] block = new byte[BLOCK_SIZE];
    private int filled;
    private boolean closed;

    ParallelGzipOutputStream(final OutputStream out, final int level, final int threads) {
        this.out = out;
        this.level = level;
        this.pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "rollback-guard-gzip");
            thread.setDaemon(true);
            return thread;
        });
        this.maxInFlight = threads * 2;
    }

    @Override
    public void write(final int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(final byte[] bytes, final int offset, final int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = Math.min(length - done, BLOCK_SIZE - filled);
            System.arraycopy(bytes, offset + done, block, filled, n);
            filled += n;
            done += n;
            if (filled == BLOCK_SIZE) {
                submit();
            }
        }
    }

    private void submit() throws IOException {
        byte[] data = filled == BLOCK_SIZE ? block : Arrays.copyOf(block, filled);
        int length = filled;
        inFlight.add(pool.submit(() -> compress(data, length, level)));
        block = new byte[BLOCK_SIZE];
        filled = 0;
        while (inFlight.size() > maxInFlight) {
            writeOldest();
        }
    }

    private void writeOldest() throws IOException {
        try {
            out.write(inFlight.removeFirst().get());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while compressing");
        }
        catch (ExecutionException e) {
            throw new IOException("Compression failed: " + e.getCause(), e.getCause());
        }
    }

    static byte[] compress(final byte[] data, final int length, final int level) {
        Deflater deflater = new Deflater(level, true);
        try {
            ByteArrayOutputStream member = new ByteArrayOutputStream(length / 2 + 64);
            member.writeBytes(HEADER);
            deflater.setInput(data, 0, length);
            deflater.finish();
            byte[] buffer = new byte[64 * 1024];
            while (!deflater.finished()) {
                member.write(buffer, 0, deflater.deflate(buffer));
            }
            CRC32 crc = new CRC32();
            crc.update(data, 0, length);
            writeIntLe(member, (int) crc.getValue());
            writeIntLe(member, length);
            return member.toByteArray();
        }
        finally {
            deflater.end();
        }
    }

    private static void writeIntLe(final ByteArrayOutputStream out, final int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (filled > 0 || inFlight.isEmpty()) {
                submit(); // an empty input still gives one valid (empty) gzip member
            }
            while (!inFlight.isEmpty()) {
                writeOldest();
            }
            out.close();
        }
        finally {
            pool.shutdownNow();
        }
    }

    /** Stops the workers without writing the rest, after a failure. */
    void abort() {
        closed = true;
        pool.shutdownNow();
    }
}
