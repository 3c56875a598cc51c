package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells whether a directory is a mount point, which cannot be renamed: its device differs from its parent's, or
 * (for bind mounts, whose device is the parent's) the kernel lists it in {@code /proc/self/mountinfo}.
 */
final class Mounts {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private Mounts() {
        // static helpers only
    }

    static boolean isMountPoint(final Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null) {
            return true; // the root directory
        }
        try {
            Object device = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            if (!Objects.equals(device, Files.getAttribute(parent, "unix:dev"))) {
                return true;
            }
        }
        catch (UnsupportedOperationException | IllegalArgumentException e) {
            // no device numbers on this platform: the list of mounts, or a failed rename, tells
        }
        Path real = dir.toRealPath();
        return mountPoints().contains(real);
    }

    /** @return a mount point strictly below the directory, if the kernel lists one */
    static Optional<Path> mountBelow(final Path dir) throws IOException {
        Path real = dir.toRealPath();
        return mountPoints().stream().filter(point -> point.startsWith(real) && !point.equals(real)).findFirst();
    }

    private static List<Path> mountPoints() {
        List<Path> points = new ArrayList<>();
        if (!Files.isReadable(MOUNTINFO)) {
            return points;
        }
        try {
            for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 4) {
                    points.add(Path.of(unescape(fields[4])));
                }
            }
        }
        catch (IOException e) {
            // no list: the device comparison alone decides
        }
        return points;
    }

    /** The kernel writes space, tab, newline and backslash in mount points as octal escapes ({@code \040}). */
    private static String unescape(final String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
