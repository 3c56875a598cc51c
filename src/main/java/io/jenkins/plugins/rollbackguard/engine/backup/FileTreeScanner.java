package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Lists what a files backup holds: directories (kept even when empty), regular files and symbolic links,
 * never following a link. Links must point inside the tree, so that the backup can be restored safely. What is
 * left out follows {@link PathSelection}, which the in-place restore shares.
 */
final class FileTreeScanner {
    private final Path root;
    private final PathSelection selection;

    FileTreeScanner(final FilesBackupSpec spec) {
        this.root = Path.of(spec.path());
        this.selection = PathSelection.of(spec);
    }

    /** One thing to archive; the hash is filled while archiving. */
    record Item(Path relative, String type, long size, int mode, String target) {
        String name() {
            return relative.toString().replace('\\', '/');
        }
    }

    List<Item> scan() throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(root.toString(), null, "source directory does not exist");
        }
        List<Item> items = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs) throws IOException {
                Path relative = root.relativize(dir);
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                if (selection.leavesOutDirectory(relative)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                items.add(new Item(relative, FileEntry.DIR, 0, mode(dir), ""));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
                Path relative = root.relativize(file);
                if (selection.leavesOutFile(relative)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                    items.add(new Item(relative, FileEntry.LINK, 0, 0777, Files.readSymbolicLink(file).toString()));
                }
                else if (attrs.isRegularFile()) {
                    items.add(new Item(relative, FileEntry.FILE, attrs.size(), mode(file), ""));
                }
                return FileVisitResult.CONTINUE; // sockets, fifos and devices are not backed up
            }
        });
        checkLinks(items);
        return items;
    }

    /** The restore's rule, applied now: a backup that could not be restored fails when it is taken. */
    private void checkLinks(final List<Item> items) {
        TreeLinks tree = new TreeLinks();
        items.forEach(item -> tree.add(item.name(), FileEntry.LINK.equals(item.type()) ? item.target() : null));
        tree.firstProblem().ifPresent(problem -> {
            throw new BackupException("Cannot back up %s: %s, so it could not be restored safely; ".formatted(root,
                    problem) + "exclude the link, or make it relative, inside the directory and not through another link");
        });
    }

    static int mode(final Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (PosixFilePermission permission : PosixFilePermission.values()) {
            if (permissions.contains(permission)) {
                mode |= 1 << (8 - permission.ordinal());
            }
        }
        return mode;
    }
}
