package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds test trees and describes them exactly (type, permissions, content hash, link target) for comparison. */
final class Trees {
    private Trees() {
        // static helpers only
    }

    /** Returns every entry below the root with its type, permissions and content hash or link target. */
    static Map<String, String> describe(final Path root) {
        Map<String, String> result = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> !p.equals(root)).toList()) {
                result.put(root.relativize(path).toString(), describeOne(path));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    private static String describeOne(final Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return "link -> " + Files.readSymbolicLink(path);
        }
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        return Files.isDirectory(path) ? "dir " + mode : "file " + mode + " " + Hashing.sha256(path);
    }

    /** Creates a tree with odd names, empty directories, links, permissions and one large file. */
    static void createOddTree(final Path root, final long seed) throws IOException {
        Random random = new Random(seed);
        Files.createDirectories(root.resolve("empty/nested-empty"));
        Files.createDirectories(root.resolve("with space/ümlaut ß 日本"));
        write(root.resolve("with space/ümlaut ß 日本/file name with spaces.txt"), random, 1000);
        write(root.resolve("-leading-dash"), random, 10);
        write(root.resolve("new\nline"), random, 10);
        write(root.resolve("quote'\"and$dollar"), random, 0);
        write(root.resolve("x".repeat(120) + "/" + "long-name-".repeat(20) + ".bin"), random, 5000);
        write(root.resolve("large.bin"), random, 6 * 1024 * 1024 + 123);
        Path script = root.resolve("bin/run.sh");
        write(script, random, 100);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(root.resolve("-leading-dash"), PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(root.resolve("link-to-file"), Path.of("bin/run.sh"));
        Files.createSymbolicLink(root.resolve("bin/link-to-dir"), Path.of("../empty"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("not-there"));
    }

    static void write(final Path file, final Random random, final int size) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % 3 == 0 ? random.nextInt(256) : 'a' + i % 26); // partly compressible
        }
        Files.write(file, bytes);
    }
}
