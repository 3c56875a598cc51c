package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;
import java.util.stream.Stream;

/** Puts a restored tree into an empty or absent directory: extract beside it, then rename; see {@link InPlaceRestore} for the original. */
final class DirectorySwap {
    private DirectorySwap() {
        // static helpers only
    }

    /** Returns a fresh sibling path of a destination, on the same file system so that renames are atomic. */
    static Path sibling(final Path destination, final String purpose) {
        return destination.resolveSibling("." + destination.getFileName() + ".rg-" + purpose + "-"
                + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Replaces the destination (if any) by the prepared directory and deletes the old one. */
    static void replace(final Path prepared, final Path destination) throws IOException {
        if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
            Path old = sibling(destination, "old");
            Files.move(destination, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(prepared, destination, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        }
        else {
            Files.move(prepared, destination, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static boolean isEmptyOrAbsent(final Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> children = Files.list(directory)) {
            return children.findAny().isEmpty();
        }
    }

    /** Deletes a tree without following links; absent trees are fine. */
    static void deleteTree(final Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path dir, final IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
