package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Files that hold a secret for a client program that reads it only from a file (a MariaDB defaults file). They live
 * in one private directory per process, {@code rollback-guard-secrets-<pid>} (mode 0700) under the temporary
 * directory, each file 0600, and are deleted when closed. A shutdown hook removes the directory when the process
 * ends; a process killed outright (SIGKILL) cannot, so every process sweeps, when it first needs the directory, the
 * directories of processes that are gone.
 */
public final class SecretFiles {
    private static final String PREFIX = "rollback-guard-secrets-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)");
    private static Path directory; // guarded by SecretFiles.class

    private SecretFiles() {
    }

    /** A file holding a secret; deleted on {@link #close()}. */
    public static final class SecretFile implements AutoCloseable {
        private final Path path;

        private SecretFile(final Path path) {
            this.path = path;
        }

        /** @return where the file is */
        public Path path() {
            return path;
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(path);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot delete the secret file " + path, e);
            }
        }
    }

    /**
     * Writes a secret file. The text is complete before the file is created, so a secret that cannot be resolved
     * leaves no file behind.
     *
     * @param suffix
     *         the file name's ending, e.g. {@code .cnf}
     * @param text
     *         the whole content
     * @return the file
     * @throws IOException
     *         if it cannot be written
     */
    public static SecretFile write(final String suffix, final String text) throws IOException {
        Path file = privateDirectory().resolve(UUID.randomUUID() + suffix);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new SecretFile(file);
    }

    /**
     * Tells whether a path names a secret file this process wrote and has not deleted. A host that runs commands
     * elsewhere (a Jenkins agent, a container) carries such a file to where the command runs: the engine writes it
     * here, in this process's temporary directory.
     *
     * @param path
     *         a command argument, or the value after its {@code =}
     * @return whether it is one of this process's secret files, present now
     */
    public static boolean owns(final String path) {
        Path dir;
        synchronized (SecretFiles.class) {
            dir = directory;
        }
        if (dir == null || path == null || path.isEmpty()) {
            return false;
        }
        try {
            Path file = Path.of(path);
            return dir.equals(file.getParent()) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
        }
        catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /**
     * Removes the secret directories of processes that are gone (killed before they could clean up).
     *
     * @param temp
     *         the temporary directory to look in
     * @return how many directories were removed
     * @throws IOException
     *         if the directory cannot be listed
     */
    public static int sweep(final Path temp) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(temp, PREFIX + "*")) {
            for (Path dir : dirs) {
                Matcher matcher = NAME.matcher(dir.getFileName().toString());
                if (matcher.matches() && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        && !isAlive(Long.parseLong(matcher.group(1)))) {
                    deleteTree(dir);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** @return this process's private directory, created (0700) and swept around on first use */
    static synchronized Path privateDirectory() throws IOException {
        if (directory == null || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            Path temp = Path.of(System.getProperty("java.io.tmpdir"));
            sweep(temp);
            Path dir = temp.resolve(PREFIX + ProcessHandle.current().pid());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            catch (FileAlreadyExistsException e) {
                // ours from an earlier use, or a stale one whose pid was reused: only trust it as a real directory
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(dir)) {
                    throw new IOException("Refusing the secret directory " + dir + ": it is not a plain directory", e);
                }
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            if (directory == null) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "rollback-guard-secrets"));
            }
            directory = dir;
        }
        return directory;
    }

    private static boolean isAlive(final long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void deleteQuietly(final Path dir) {
        try {
            deleteTree(dir);
        }
        catch (IOException e) {
            // the next process sweeps it
        }
    }

    private static void deleteTree(final Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
