package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Extracts a tar.gz into a fresh, empty directory. Unsafe entries are refused by {@link TarGzReader}; links are
 * created last, so that no file is ever written through a link, and are checked again once they all exist.
 * Set-uid, set-gid and sticky bits are dropped; ownership is left to the restoring user.
 */
final class TreeExtractor {
    private final Path target;
    private final List<TarArchiveEntry> links = new ArrayList<>();
    private final Map<Path, FileTime> directoryTimes = new LinkedHashMap<>();
    private final Map<Path, Integer> directoryModes = new LinkedHashMap<>();

    TreeExtractor(final Path target) {
        this.target = target;
    }

    /** Extracts and returns the archive's sha256. */
    String extract(final Path archive) throws IOException {
        Files.createDirectories(target);
        String sha = TarGzReader.read(archive, this::write);
        for (TarArchiveEntry link : links) {
            Path path = resolve(link.getName());
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Path.of(link.getLinkName()));
        }
        checkLinksResolveInside();
        for (Map.Entry<Path, Integer> dir : directoryModes.entrySet()) {
            Files.setPosixFilePermissions(dir.getKey(), permissions(dir.getValue()));
        }
        for (Map.Entry<Path, FileTime> dir : directoryTimes.entrySet()) {
            Files.setLastModifiedTime(dir.getKey(), dir.getValue());
        }
        return sha;
    }

    private void write(final TarArchiveEntry entry, final InputStream content) throws IOException {
        Path path = resolve(entry.getName());
        if (entry.isSymbolicLink()) {
            links.add(entry);
        }
        else if (entry.isDirectory()) {
            Files.createDirectories(path);
            directoryModes.put(path, entry.getMode());
            directoryTimes.put(path, entry.getLastModifiedTime());
        }
        else {
            Files.createDirectories(path.getParent());
            try (OutputStream out = Files.newOutputStream(path)) {
                content.transferTo(out);
            }
            Files.setPosixFilePermissions(path, permissions(entry.getMode()));
            Files.setLastModifiedTime(path, entry.getLastModifiedTime());
        }
    }

    private Path resolve(final String name) {
        Path path = target.resolve(TarGzReader.stripSlash(name)).normalize();
        if (!path.startsWith(target) || path.equals(target)) {
            throw new BackupException("Refusing archive entry '%s': it resolves outside the target".formatted(name));
        }
        return path;
    }

    private void checkLinksResolveInside() throws IOException {
        Path realTarget = target.toRealPath();
        for (TarArchiveEntry link : links) {
            Path path = resolve(link.getName());
            if (Files.exists(path) && !path.toRealPath().startsWith(realTarget)) {
                throw new BackupException("Refusing symbolic link '%s' -> '%s': through other links it escapes the target"
                        .formatted(link.getName(), link.getLinkName()));
            }
        }
    }

    static Set<PosixFilePermission> permissions(final int mode) {
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission permission : PosixFilePermission.values()) {
            if ((mode & 1 << (8 - permission.ordinal())) != 0) {
                result.add(permission);
            }
        }
        return result;
    }
}
