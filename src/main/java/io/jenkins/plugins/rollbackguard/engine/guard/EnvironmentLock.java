package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;

/**
 * Serialises guarded deploys of one environment across threads and processes for the whole of a
 * deploy (not just one ledger write). A second deploy waits up to a timeout, or is refused at once.
 */
public final class EnvironmentLock implements AutoCloseable {
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
    private static final long POLL_MILLIS = 200;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private EnvironmentLock(final Path file, final FileChannel channel, final FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of an environment.
     *
     * @param directory
     *         where lock files live
     * @param environment
     *         the environment
     * @param wait
     *         how long to wait for another deploy to finish; zero refuses at once
     * @return the held lock
     * @throws GuardRefusedException
     *         if another deploy still holds it
     */
    public static EnvironmentLock acquire(final Path directory, final EnvironmentName environment, final Duration wait) {
        Path file = directory.resolve(environment.value() + ".deploy.lock").toAbsolutePath().normalize();
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock lock = tryLock(file, channel);
                if (lock != null) {
                    return new EnvironmentLock(file, channel, lock);
                }
                if (System.nanoTime() >= deadline) {
                    channel.close();
                    throw new GuardRefusedException(("environment '%s' is busy: another guarded deploy holds %s "
                            + "(waited %ds; set concurrent: wait and lockTimeout to wait longer)")
                            .formatted(environment, file, wait.toSeconds()));
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
        catch (IOException e) {
            throw new GuardException("cannot lock environment '%s' (%s): %s".formatted(environment, file, e), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuardException("interrupted while waiting for environment '%s'".formatted(environment), e);
        }
    }

    private static FileLock tryLock(final Path file, final FileChannel channel) throws IOException {
        if (!HELD_IN_THIS_JVM.add(file)) {
            return null; // a POSIX lock would not stop another thread of this process
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                HELD_IN_THIS_JVM.remove(file);
            }
            return lock;
        }
        catch (OverlappingFileLockException e) {
            HELD_IN_THIS_JVM.remove(file);
            return null;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        }
        catch (IOException e) {
            // the lock dies with the channel anyway
        }
        finally {
            HELD_IN_THIS_JVM.remove(file);
        }
    }
}
