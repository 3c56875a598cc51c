package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last lines of an output, at most a number of bytes (UTF-8, a newline after each line): the oldest lines are
 * dropped as new ones come, so a deploy that prints gigabytes costs this much memory and no more. A single line
 * longer than the whole tail keeps its end. Thread-safe: stdout and stderr are drained by two threads.
 */
public final class OutputTail {
    /** The tail kept of a deploy's output and of an evidence log: 64 KiB. */
    public static final int DEFAULT_BYTES = 64 * 1024;

    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>(); // guarded by this
    private long bytes; // guarded by this: the UTF-8 size of the kept lines, newlines included
    private long dropped; // guarded by this: lines dropped from the front

    /**
     * Creates a tail.
     *
     * @param capacity
     *         the most bytes kept; positive
     */
    public OutputTail(final int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Adds a line (without its line end).
     *
     * @param line
     *         the line, already masked
     */
    public synchronized void add(final String line) {
        String kept = line == null ? "" : line;
        long size = utf8Length(kept) + 1;
        if (size > capacity) { // keeps the end of a line that alone is longer than the tail
            kept = endOf(kept, capacity - 1);
            size = utf8Length(kept) + 1;
        }
        lines.addLast(kept);
        bytes += size;
        while (bytes > capacity) {
            bytes -= utf8Length(lines.removeFirst()) + 1;
            dropped++;
        }
    }

    /** @return the kept lines, each followed by a newline */
    public synchronized String text() {
        StringBuilder text = new StringBuilder((int) bytes);
        lines.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    /** @return the UTF-8 size of {@link #text()} */
    public synchronized long bytes() {
        return bytes;
    }

    /** @return how many lines were dropped to keep the tail within its capacity */
    public synchronized long dropped() {
        return dropped;
    }

    /**
     * Writes the tail to a file, whole or not at all (a temporary file renamed).
     *
     * @param file
     *         the file; its directory is created
     * @throws IOException
     *         if it cannot be written
     */
    public void writeTo(final Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tail-", ".tmp");
        try {
            Files.writeString(temp, text(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Reads the last bytes of a file as text, starting after the first line end within them (no half line or half
     * character at the front), without reading the rest of the file.
     *
     * @param file
     *         the file
     * @param most
     *         the most bytes to read
     * @return the text
     * @throws IOException
     *         if it cannot be read
     */
    public static String tailOf(final Path file, final int most) throws IOException {
        try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            long from = Math.max(0, size - most);
            channel.position(from);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(most, size));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // reads until the buffer is full or the file ends (it may grow while read)
            }
            byte[] read = java.util.Arrays.copyOf(buffer.array(), buffer.position());
            int start = 0;
            if (from > 0) {
                for (int i = 0; i < read.length; i++) {
                    if (read[i] == '\n') {
                        start = i + 1;
                        break;
                    }
                }
            }
            return new String(read, start, read.length - start, StandardCharsets.UTF_8);
        }
    }

    private static String endOf(final String line, final int most) {
        int start = Math.max(0, line.length() - most); // chars >= bytes/3: trim further by bytes below
        String end = line.substring(start);
        while (utf8Length(end) > most) {
            end = end.substring(Math.max(1, (int) (utf8Length(end) - most) / 3));
        }
        if (!end.isEmpty() && Character.isLowSurrogate(end.charAt(0))) {
            end = end.substring(1);
        }
        return end;
    }

    static long utf8Length(final String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n++;
            }
            else if (c < 0x800) {
                n += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            }
            else {
                n += 3;
            }
        }
        return n;
    }
}
