package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where to restore a backup: over its original source, into a scratch database, or into a directory.
 * Serialisable so that a restore can be sent to an agent. A restore over the original source takes where and how
 * (the directory, the database, the restore command) from the policy's backup, never from the backup's manifest.
 *
 * @param mode
 *         which kind of target
 * @param name
 *         the scratch database's name, or the absolute directory; empty for {@link Mode#ORIGINAL}
 * @param policy
 *         for {@link Mode#ORIGINAL}, the policy's backup spec that says where and how to restore; null otherwise
 */
public record RestoreTarget(Mode mode, String name, BackupSpec policy) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** The kinds of target. */
    public enum Mode {
        /**
         * The source the backup was taken from: the database, or the directory (its tree is replaced, keeping what the
         * backup left out; the tree it had is kept aside).
         */
        ORIGINAL,
        /** Another database on the same server, dropped and created anew. */
        SCRATCH_DATABASE,
        /** A directory that does not exist yet or is empty; for files and command backups. */
        DIRECTORY
    }

    /** Checks the values. */
    public RestoreTarget {
        Objects.requireNonNull(mode, "mode");
        name = name == null ? "" : name;
        if (mode == Mode.ORIGINAL && policy == null) {
            throw new IllegalArgumentException("target: a restore over the original source needs the policy's backup, "
                    + "which says where and how to restore (the manifest is never trusted for that)");
        }
        if (mode == Mode.SCRATCH_DATABASE) {
            SpecChecks.name("target database", name);
        }
        if (mode == Mode.DIRECTORY && !Path.of(name).isAbsolute()) {
            throw new IllegalArgumentException("target directory: must be absolute, got '%s'".formatted(name));
        }
    }

    /**
     * Returns the original source, as the policy names it.
     *
     * @param policy
     *         the policy's backup spec of the same source
     * @return the target
     */
    public static RestoreTarget original(final BackupSpec policy) {
        return new RestoreTarget(Mode.ORIGINAL, "", policy);
    }

    /**
     * Returns a scratch database target.
     *
     * @param database
     *         the database name; it is dropped and created
     * @return the target
     */
    public static RestoreTarget scratchDatabase(final String database) {
        return new RestoreTarget(Mode.SCRATCH_DATABASE, database, null);
    }

    /**
     * Returns a directory target.
     *
     * @param directory
     *         an absolute directory that does not exist or is empty
     * @return the target
     */
    public static RestoreTarget directory(final Path directory) {
        return new RestoreTarget(Mode.DIRECTORY, directory.toAbsolutePath().toString(), null);
    }

    /**
     * Names the database a database backup restores into.
     *
     * @param original
     *         the database the backup was taken from
     * @return the original for {@link Mode#ORIGINAL}, the scratch name for {@link Mode#SCRATCH_DATABASE}
     * @throws IllegalArgumentException
     *         for a directory target, or a scratch database that is the original
     */
    public String database(final String original) {
        return switch (mode) {
            case ORIGINAL -> original;
            case SCRATCH_DATABASE -> {
                if (name.equals(original)) {
                    throw new IllegalArgumentException("target: the scratch database must not be the original '%s'"
                            .formatted(name));
                }
                yield name;
            }
            case DIRECTORY -> throw new IllegalArgumentException(
                    "target: a database backup restores into a database, not into '%s'".formatted(name));
        };
    }

    @Override
    public String toString() {
        return switch (mode) {
            case ORIGINAL -> "its original place (" + policy.describe() + ")";
            case SCRATCH_DATABASE -> "scratch database " + name;
            case DIRECTORY -> "directory " + name;
        };
    }
}
