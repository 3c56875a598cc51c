package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** Durable writes: temp file, fsync, atomic rename, fsync of the directory. */
final class AtomicFiles {
    static final String LOCK = ".lock";

    private AtomicFiles() {
        // static helpers only
    }

    static void write(final Path file, final byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(content));
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync(file.getParent());
    }

    /** Forces a file or directory to disk; directories need it after a rename so that the rename survives a crash. */
    static void sync(final Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Takes the lock that marks a partial backup as in progress; the OS drops it if the process dies. */
    static FileLock lock(final Path partial) throws IOException {
        FileChannel channel = FileChannel.open(partial.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        return channel.lock();
    }

    /** Returns whether a partial backup is still being written by a live process. */
    static boolean inProgress(final Path partial) {
        Path lockFile = partial.resolve(LOCK);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            Optional<FileLock> lock = Optional.ofNullable(channel.tryLock());
            lock.ifPresent(AtomicFiles::release);
            return lock.isEmpty();
        }
        catch (OverlappingFileLockException e) {
            return true; // held by this JVM: a take is running
        }
        catch (IOException e) {
            return false;
        }
    }

    static void release(final FileLock lock) {
        try {
            lock.release();
            lock.channel().close();
        }
        catch (IOException e) {
            // the lock goes when the channel closes or the process exits
        }
    }
}
