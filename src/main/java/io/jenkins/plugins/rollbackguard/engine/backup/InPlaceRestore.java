package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.jenkins.plugins.rollbackguard.engine.backup.RestoreIntent.Layout;
import io.jenkins.plugins.rollbackguard.engine.backup.RestoreIntent.Phase;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;

/**
 * Restores a files backup over its original directory, so that after any kill and the next {@link #recover} the
 * directory is either the tree it was or the complete restored tree, never a mix and never missing:
 * <ol>
 *     <li>{@link Phase#PREPARING}: the backup is extracted into a fresh prepared tree and fsync'ed;</li>
 *     <li>{@link Phase#CARRYING}: every live entry the backup left out (by {@link PathSelection}, the backup's own
 *     rule) is moved by rename into the prepared tree, so the restored tree is the backup plus those entries;</li>
 *     <li>{@link Phase#SWAP_OUT}: the live tree is moved to the replaced place, kept after the restore;</li>
 *     <li>{@link Phase#SWAP_IN}: the prepared tree is moved into the destination, and the record is deleted.</li>
 * </ol>
 * A {@link RestoreIntent} record is written before each phase. Recovery undoes a restore killed while preparing
 * (the destination was not touched yet) and finishes one killed later (the prepared tree is complete); every step
 * checks what is already done, so recovery can itself be killed and run again. A failure while the restore runs
 * undoes it ({@link Phase#ROLLING_BACK}). With {@link Layout#BESIDE} the trees are siblings of the destination and
 * the swaps are two renames; a destination that is a mount point cannot be renamed, so with {@link Layout#INSIDE}
 * the trees live inside it and the swaps move its top-level entries. An OS lock in the store keeps two restores
 * of one destination apart.
 */
final class InPlaceRestore {
    /** Called with a step's name after each record written and entry moved; the crash test's child slows steps with it. */
    static volatile Consumer<String> afterStep = step -> { };

    static final String INSIDE_RECORD = ".rg-restore.json";
    private static final String LOCKS = ".restore-locks";
    private static final int SYNC_THREADS = 8;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path destination;
    private final Path lockFile;
    private final GuardListener listener;
    private final boolean detectMounts;

    /** What a finished restore did. */
    record Result(Layout layout, Path replaced, int carried, List<Path> leftBehind) {
    }

    /** Writes the backup's tree into an empty directory. */
    @FunctionalInterface
    interface Extraction {
        void extractInto(Path prepared) throws IOException;
    }

    InPlaceRestore(final Path destination, final Path storeRoot, final GuardListener listener) {
        this(destination, storeRoot, listener, true);
    }

    /** With {@code detectMounts} false, a mount point is only found when a rename fails: the fallback's test uses it. */
    InPlaceRestore(final Path destination, final Path storeRoot, final GuardListener listener,
            final boolean detectMounts) {
        this.destination = destination.toAbsolutePath().normalize();
        this.lockFile = storeRoot.resolve(LOCKS).resolve(lockName(this.destination));
        this.listener = listener;
        this.detectMounts = detectMounts;
    }

    private static String lockName(final Path destination) {
        var digest = Hashing.sha256();
        digest.update(destination.toString().getBytes(StandardCharsets.UTF_8));
        return Hashing.hex(digest).substring(0, 24) + ".lock";
    }

    /**
     * Restores in place, after recovering any restore of the same destination that was killed.
     *
     * @return what was done; the listener has been told too
     */
    Result restore(final String backupId, final List<String> include, final List<String> exclude,
            final Extraction extraction) throws IOException {
        checkDestination();
        try (Held held = lock()) {
            recoverLocked();
            String mountPoint = null;
            if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
                Mounts.mountBelow(destination).ifPresent(inner -> {
                    throw new BackupException(("Cannot restore %s in place: %s is a mount point inside it; unmount it "
                            + "first, or restore into an empty directory").formatted(destination, inner));
                });
                if (detectMounts && Mounts.isMountPoint(destination)) {
                    mountPoint = "it is a mount point";
                }
            }
            Result result;
            if (mountPoint == null) {
                try {
                    result = run(Layout.BESIDE, null, backupId, include, exclude, extraction);
                }
                catch (CrossDevice e) {
                    result = run(Layout.INSIDE, e.getMessage(), backupId, include, exclude, extraction);
                }
            }
            else {
                result = run(Layout.INSIDE, mountPoint, backupId, include, exclude, extraction);
            }
            report(backupId, result);
            return result;
        }
    }

    /**
     * Finishes or undoes a restore of the destination that was killed; does nothing if there is none.
     *
     * @return one line per restore recovered, empty if there was none
     */
    List<String> recover() throws IOException {
        try (Held held = lock()) {
            return recoverLocked();
        }
    }

    private void checkDestination() {
        if (Files.isSymbolicLink(destination)) {
            throw new BackupException(("Cannot restore %s in place: it is a symbolic link; restore to the directory it "
                    + "points to").formatted(destination));
        }
        if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS)) {
            throw new BackupException(("Cannot restore %s in place: it is not a directory; move it away or restore "
                    + "into an empty directory").formatted(destination));
        }
        if (destination.getParent() == null) {
            throw new BackupException("Cannot restore / in place; restore into an empty directory");
        }
    }

    private Result run(final Layout layout, final String reason, final String backupId, final List<String> include,
            final List<String> exclude, final Extraction extraction) throws IOException {
        Instant now = Instant.now();
        String suffix = STAMP.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        boolean exists = Files.exists(destination, LinkOption.NOFOLLOW_LINKS);
        Path prepared;
        Path replaced;
        if (layout == Layout.BESIDE) {
            Path parent = Files.createDirectories(destination.getParent());
            String name = destination.getFileName().toString();
            prepared = parent.resolve("." + name + ".rg-restore-" + suffix);
            replaced = exists ? parent.resolve("." + name + ".rg-replaced-" + suffix) : null;
        }
        else {
            prepared = destination.resolve(".rg-restore-" + suffix);
            replaced = destination.resolve(".rg-replaced-" + suffix);
            listener.info(("%s cannot be replaced by renaming (%s), so the restored tree is prepared inside it, in %s, "
                    + "and its entries are then swapped one by one, the replaced ones kept in %s").formatted(
                    destination, reason, prepared.getFileName(), replaced.getFileName()));
        }
        RestoreIntent intent = new RestoreIntent(1, layout, destination.toString(), prepared.toString(),
                replaced == null ? null : replaced.toString(), backupId, Phase.PREPARING, null, include, exclude, now,
                ProcessHandle.current().pid());
        write(intent);
        try {
            extraction.extractInto(prepared);
            refuseReservedNames(prepared);
            if (exists) {
                Files.setPosixFilePermissions(prepared, Files.getPosixFilePermissions(destination,
                        LinkOption.NOFOLLOW_LINKS));
            }
            afterStep.accept("extracted");
            syncTree(prepared);
        }
        catch (IOException | RuntimeException e) {
            rollBack(intent, e);
            throw e;
        }
        return proceed(advance(intent, Phase.CARRYING));
    }

    /** Runs the phases from the recorded one to the end; a failure before the swap-in undoes the restore. */
    private Result proceed(final RestoreIntent start) throws IOException {
        RestoreIntent intent = start;
        int carried = 0;
        List<Path> leftBehind = new ArrayList<>();
        try {
            if (intent.phase() == Phase.CARRYING) {
                carried = carry(intent, intent.destinationPath(), intent.preparedPath(), leftBehind);
                intent = advance(intent, Phase.SWAP_OUT);
            }
            if (intent.phase() == Phase.SWAP_OUT) {
                swapOut(intent);
                intent = advance(intent, Phase.SWAP_IN);
            }
        }
        catch (IOException | RuntimeException e) {
            rollBack(intent, e);
            throw e;
        }
        try {
            swapIn(intent);
            finish(intent);
        }
        catch (IOException | RuntimeException e) {
            listener.error(("The restore of %s stopped while moving the restored tree in (%s); the record %s says what "
                    + "is left to do, and the next restore or recovery of %s finishes it").formatted(destination,
                    e.getMessage(), recordFile(intent.layout()), destination));
            throw e;
        }
        Path replaced = intent.replacedPath();
        List<Path> behind = leftBehind.stream().map(path -> replaced == null ? path
                : replaced.resolve(destination.relativize(path))).toList();
        return new Result(intent.layout(), replaced, carried, behind);
    }

    private List<String> recoverLocked() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Layout layout : Layout.values()) {
            if (layout == Layout.INSIDE && !Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path record = recordFile(layout);
            Files.deleteIfExists(temp(record));
            if (!Files.exists(record, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            RestoreIntent intent = read(record);
            String line;
            if (intent.phase() == Phase.PREPARING || intent.phase() == Phase.ROLLING_BACK) {
                undo(intent);
                line = "Undid the interrupted restore of backup %s into %s: the tree it had is in place".formatted(
                        intent.backupId(), destination);
            }
            else {
                Result result = proceed(intent);
                line = "Finished the interrupted restore of backup %s into %s%s".formatted(intent.backupId(),
                        destination, result.replaced() == null ? ""
                                : "; the tree it replaced is kept in " + result.replaced());
            }
            listener.info(line);
            lines.add(line);
        }
        return lines;
    }

    private RestoreIntent read(final Path record) {
        RestoreIntent intent;
        try {
            intent = Json.MAPPER.readValue(record.toFile(), RestoreIntent.class);
        }
        catch (JsonProcessingException e) {
            throw new BackupException(("The restore record %s cannot be read (%s); look at it, move it away and "
                    + "restore again").formatted(record, e.getOriginalMessage()), e);
        }
        catch (IOException e) {
            throw new BackupException("The restore record %s cannot be read (%s); check its permissions and restore again"
                    .formatted(record, e.getMessage()), e);
        }
        if (intent.version() != 1 || intent.layout() == null || intent.phase() == null
                || !destination.equals(intent.destinationPath())) {
            throw new BackupException(("The restore record %s does not describe a restore of %s by this release; look "
                    + "at it, move it away and restore again").formatted(record, destination));
        }
        return intent;
    }

    // ---- the phases; each checks what is done already, so that it can run again after a kill

    /** Moves the entries the backup left out from one tree into the same places of the other; returns how many. */
    private int carry(final RestoreIntent intent, final Path from, final Path to, final List<Path> leftBehind)
            throws IOException {
        if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        Set<Path> touched = new LinkedHashSet<>();
        int moved = 0;
        for (Path relative : leftOut(from, intent.selection())) {
            if (carryOne(intent, from, to, relative, touched)) {
                moved++;
            }
            else {
                leftBehind.add(from.resolve(relative));
            }
        }
        for (Path dir : touched) {
            AtomicFiles.sync(dir);
        }
        return moved;
    }

    /**
     * Lists the entries of a tree that the backup leaves out, top-most first: an excluded directory counts once, and
     * sockets, FIFOs and devices always count, as no backup holds them.
     */
    private static List<Path> leftOut(final Path root, final PathSelection selection) throws IOException {
        List<Path> result = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                Path relative = root.relativize(dir);
                if (PathSelection.isReserved(relative)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (selection.leavesOutDirectory(relative)) {
                    result.add(relative);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) {
                Path relative = root.relativize(file);
                if (!PathSelection.isReserved(relative) && (attrs.isOther() || selection.leavesOutFile(relative))) {
                    result.add(relative); // sockets, FIFOs and devices are never in a backup
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return result;
    }

    /**
     * Moves one entry, creating the parent directories it needs (with the source's permissions) without following
     * links; returns false, moving nothing, if something else stands in its place or in the way.
     */
    private static boolean carryOne(final RestoreIntent intent, final Path fromRoot, final Path toRoot,
            final Path relative, final Set<Path> touched) throws IOException {
        Path dir = toRoot;
        Path source = fromRoot;
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            dir = dir.resolve(relative.getName(i));
            source = source.resolve(relative.getName(i));
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir);
                Files.setPosixFilePermissions(dir, Files.getPosixFilePermissions(source, LinkOption.NOFOLLOW_LINKS));
                touched.add(dir.getParent());
            }
            else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return false; // a file or link of the other tree stands where the entry's parent should be
            }
        }
        Path target = toRoot.resolve(relative);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        move(intent, fromRoot.resolve(relative), target, "carry");
        touched.add(target.getParent());
        touched.add(fromRoot.resolve(relative).getParent());
        return true;
    }

    private void swapOut(final RestoreIntent intent) throws IOException {
        Path replaced = intent.replacedPath();
        if (replaced == null) {
            return; // there was no destination
        }
        if (intent.layout() == Layout.BESIDE) {
            if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(replaced, LinkOption.NOFOLLOW_LINKS)) {
                    throw reappeared(replaced);
                }
                move(intent, destination, replaced, "swap-out");
                AtomicFiles.sync(destination.getParent());
            }
            return;
        }
        if (!Files.exists(replaced, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(replaced);
        }
        for (Path entry : topLevel(destination)) {
            Path target = replaced.resolve(entry.getFileName());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw reappeared(target);
            }
            move(intent, entry, target, "swap-out");
        }
        AtomicFiles.sync(replaced);
        AtomicFiles.sync(destination);
    }

    private void swapIn(final RestoreIntent intent) throws IOException {
        Path prepared = intent.preparedPath();
        if (!Files.exists(prepared, LinkOption.NOFOLLOW_LINKS)) {
            return; // moved in already
        }
        if (intent.layout() == Layout.BESIDE) {
            if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
                throw reappeared(destination);
            }
            move(intent, prepared, destination, "swap-in");
            AtomicFiles.sync(destination.getParent());
            return;
        }
        for (Path entry : topLevel(prepared)) {
            Path target = destination.resolve(entry.getFileName());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw reappeared(target);
            }
            move(intent, entry, target, "swap-in");
        }
        AtomicFiles.sync(destination);
    }

    private BackupException reappeared(final Path path) {
        return new BackupException(("Cannot finish the restore of %s: %s was created while the restore moved entries "
                + "aside; move it away and restore again, which finishes this restore first").formatted(destination,
                path));
    }

    private void finish(final RestoreIntent intent) throws IOException {
        if (intent.layout() == Layout.INSIDE) {
            Files.deleteIfExists(intent.preparedPath()); // empty now
        }
        Path record = recordFile(intent.layout());
        Files.deleteIfExists(record);
        AtomicFiles.sync(record.getParent());
        afterStep.accept("done");
    }

    /** Records the undo, then undoes; a failure of either is added to the cause, and recovery can finish it. */
    private void rollBack(final RestoreIntent intent, final Exception cause) {
        try {
            undo(intent.phase() == Phase.PREPARING ? intent : advance(intent.rollingBackFrom(intent.phase()),
                    Phase.ROLLING_BACK));
        }
        catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
            listener.error(("The failed restore of %s could not be undone (%s); the record %s says what is left to do, "
                    + "and the next restore or recovery of %s does it").formatted(destination, e.getMessage(),
                    recordFile(intent.layout()), destination));
        }
    }

    /** Puts the destination back as it was: the replaced tree back, the carried entries back, the prepared tree gone. */
    private void undo(final RestoreIntent intent) throws IOException {
        Phase from = intent.phase() == Phase.ROLLING_BACK ? intent.rollbackFrom() : intent.phase();
        Path prepared = intent.preparedPath();
        Path replaced = intent.replacedPath();
        if (from == Phase.SWAP_OUT && replaced != null && Files.exists(replaced, LinkOption.NOFOLLOW_LINKS)) {
            if (intent.layout() == Layout.BESIDE) {
                if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
                    throw reappeared(destination);
                }
                move(intent, replaced, destination, "undo-swap-out");
            }
            else {
                for (Path entry : topLevel(replaced)) {
                    Path target = destination.resolve(entry.getFileName());
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        throw reappeared(target);
                    }
                    move(intent, entry, target, "undo-swap-out");
                }
                Files.delete(replaced);
            }
            AtomicFiles.sync(intent.layout() == Layout.INSIDE ? destination : destination.getParent());
        }
        List<Path> kept = new ArrayList<>();
        if (from == Phase.CARRYING || from == Phase.SWAP_OUT) {
            carry(intent, prepared, destination, kept);
        }
        if (kept.isEmpty()) {
            DirectorySwap.deleteTree(prepared);
        }
        else {
            listener.error(("%d entries that the restore had moved out of %s could not be put back, because something "
                    + "new stands in their place; they are kept in %s (first: %s)").formatted(kept.size(), destination,
                    prepared, kept.get(0)));
        }
        if (intent.layout() == Layout.INSIDE && replaced != null) {
            Files.deleteIfExists(replaced); // created empty by an interrupted swap-out; not deleted if it holds anything
        }
        Path record = recordFile(intent.layout());
        Files.deleteIfExists(record);
        AtomicFiles.sync(record.getParent());
        afterStep.accept("undone");
    }

    // ---- helpers

    private RestoreIntent advance(final RestoreIntent intent, final Phase phase) throws IOException {
        RestoreIntent next = intent.at(phase);
        write(next);
        return next;
    }

    private void write(final RestoreIntent intent) throws IOException {
        AtomicFiles.write(recordFile(intent.layout()), Json.MAPPER.writeValueAsBytes(intent));
        afterStep.accept("record " + intent.phase().name().toLowerCase(Locale.ROOT));
    }

    private Path recordFile(final Layout layout) {
        return layout == Layout.INSIDE ? destination.resolve(INSIDE_RECORD)
                : destination.resolveSibling("." + destination.getFileName() + ".rg-restore.json");
    }

    private static Path temp(final Path record) {
        return record.resolveSibling(record.getFileName() + ".tmp"); // as AtomicFiles.write names it
    }

    /** The top-level entries of a directory, without the restore's own. */
    private static List<Path> topLevel(final Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(entry -> !PathSelection.isReserved(entry.getFileName().toString())).sorted().toList();
        }
    }

    /**
     * Renames. In the beside layout, a rename out of the destination that crosses file systems, or a rename of the
     * destination itself that fails for another reason than permissions or names (such as a mount point, which is
     * busy), asks for the inside layout.
     */
    private static void move(final RestoreIntent intent, final Path from, final Path to, final String step)
            throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (FileSystemException e) {
            boolean outOfDestination = intent.layout() == Layout.BESIDE
                    && (step.equals("carry") || step.equals("swap-out"));
            if (outOfDestination && e instanceof AtomicMoveNotSupportedException) {
                throw new CrossDevice("a rename from it to its parent directory crosses file systems", e);
            }
            if (outOfDestination && step.equals("swap-out") && !(e instanceof AccessDeniedException
                    || e instanceof NoSuchFileException || e instanceof FileAlreadyExistsException
                    || e instanceof DirectoryNotEmptyException)) {
                throw new CrossDevice("renaming it failed: " + e.getReason(), e);
            }
            throw e;
        }
        afterStep.accept(step);
    }

    private static void refuseReservedNames(final Path prepared) throws IOException {
        try (Stream<Path> entries = Files.list(prepared)) {
            entries.map(entry -> entry.getFileName().toString()).filter(PathSelection::isReserved).findFirst()
                    .ifPresent(name -> {
                        throw new BackupException(("Refusing the archive: its top-level entry '%s' has a name the "
                                + "in-place restore reserves for itself; nothing was restored").formatted(name));
                    });
        }
    }

    /**
     * Forces every file and directory of the prepared tree to disk before the record says it is complete. The calls
     * run on a few threads: the file system commits concurrent ones together, several times faster than one by one.
     */
    private static void syncTree(final Path root) throws IOException {
        List<Path> paths = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    paths.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path dir, final IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                paths.add(dir);
                return FileVisitResult.CONTINUE;
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(SYNC_THREADS, task -> {
            Thread thread = new Thread(task, "rollback-guard restore sync");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> syncs = new ArrayList<>();
            for (Path path : paths) {
                syncs.add(pool.submit(() -> {
                    AtomicFiles.sync(path);
                    return null;
                }));
            }
            for (Future<?> sync : syncs) {
                sync.get();
            }
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while forcing " + root + " to disk");
        }
        finally {
            pool.shutdownNow();
        }
    }

    private void report(final String backupId, final Result result) {
        listener.info("Restored backup %s into %s, keeping %d live %s that the backup leaves out".formatted(backupId,
                destination, result.carried(), result.carried() == 1 ? "entry" : "entries"));
        if (!result.leftBehind().isEmpty()) {
            listener.error(("%d live entries that the backup leaves out could not be kept, because the backup holds "
                    + "something else in their place; they are in the replaced tree (first: %s)").formatted(
                    result.leftBehind().size(), result.leftBehind().get(0)));
        }
        if (result.replaced() == null) {
            return;
        }
        listener.info(("The tree %s had before is kept in %s; once you no longer need it, delete it with rm -rf '%s'")
                .formatted(destination, result.replaced(), result.replaced()));
        List<Path> older = olderReplaced(result);
        if (!older.isEmpty()) {
            listener.info("%d older replaced %s of %s %s kept too, the oldest in %s".formatted(older.size(),
                    older.size() == 1 ? "tree" : "trees", destination, older.size() == 1 ? "is" : "are",
                    older.get(0)));
        }
    }

    private List<Path> olderReplaced(final Result result) {
        Path dir = result.replaced().getParent();
        String prefix = result.layout() == Layout.INSIDE ? ".rg-replaced-" : "." + destination.getFileName() + ".rg-replaced-";
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(entry -> entry.getFileName().toString().startsWith(prefix)
                    && !entry.equals(result.replaced())).sorted().toList();
        }
        catch (IOException e) {
            return List.of();
        }
    }

    private Held lock() throws IOException {
        Files.createDirectories(lockFile.getParent());
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        }
        catch (OverlappingFileLockException e) {
            lock = null; // held by another thread of this JVM
        }
        if (lock == null) {
            channel.close();
            throw new BackupException("Another restore of %s is running; wait until it ends and try again"
                    .formatted(destination));
        }
        FileLock held = lock;
        return () -> AtomicFiles.release(held);
    }

    /** A lock to release. */
    private interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** A rename of the beside layout crossed file systems or hit a mount point: the inside layout is needed. */
    private static final class CrossDevice extends IOException {
        private static final long serialVersionUID = 1L;

        CrossDevice(final String message, final Throwable cause) {
            super(message, cause);
        }
    }
}
