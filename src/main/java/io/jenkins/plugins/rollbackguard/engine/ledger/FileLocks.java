package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises writers of one environment across threads and processes. A POSIX file lock belongs to
 * the process, and closing any channel on the file drops it; so each lock file gets one channel per
 * JVM, never closed, and a JVM-wide reentrant lock in front of it.
 */
final class FileLocks {
    private static final Map<Path, Shared> LOCKS = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    /**
     * Runs an action holding the lock of a file.
     *
     * @param lockFile
     *         the lock file (created if missing)
     * @param action
     *         what to run
     * @param <T>
     *         the result type
     * @return the action's result
     */
    static <T> T withLock(final Path lockFile, final IoSupplier<T> action) throws IOException {
        Shared shared = LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), Shared::new);
        shared.jvm.lock();
        FileLock fileLock = null;
        try {
            if (shared.jvm.getHoldCount() == 1) {
                fileLock = shared.channel().lock();
            }
            return action.get();
        }
        finally {
            if (fileLock != null) {
                fileLock.release();
            }
            shared.jvm.unlock();
        }
    }

    /** A supplier that may throw {@link IOException}. */
    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static final class Shared {
        private final Path path;
        private final ReentrantLock jvm = new ReentrantLock();
        private FileChannel channel; // guarded by jvm

        Shared(final Path path) {
            this.path = path;
        }

        FileChannel channel() throws IOException {
            if (channel == null || !channel.isOpen()) {
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
            return channel;
        }
    }
}
