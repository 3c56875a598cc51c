package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serial;
import java.io.Serializable;

/**
 * One line of a file backup's manifest ({@code files.json}).
 *
 * @param path
 *         the path relative to the backed-up directory, with '/' separators
 * @param type
 *         {@code file}, {@code dir} or {@code link}
 * @param size
 *         the size in bytes of a file, 0 otherwise
 * @param mode
 *         the permission bits (for example 0644 as 420)
 * @param sha256
 *         the file's content hash, empty for directories and links
 * @param target
 *         a link's target, empty otherwise
 */
public record FileEntry(String path, String type, long size, int mode, String sha256, String target)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    static final String FILE = "file";
    static final String DIR = "dir";
    static final String LINK = "link";

    /** Fills empty texts for absent values. */
    public FileEntry {
        sha256 = sha256 == null ? "" : sha256;
        target = target == null ? "" : target;
    }
}
