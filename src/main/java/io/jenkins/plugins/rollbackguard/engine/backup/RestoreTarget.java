package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where to restore a backup: over its original source, into a scratch database, or into a directory.
 * Serialisable so that a restore can be sent to an agent.
 *
 * @param mode
 *         which kind of target
 * @param name
 *         the scratch database's name, or the absolute directory; empty for {@link Mode#ORIGINAL}
 */
public record RestoreTarget(Mode mode, String name) implements Serializable {
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
        if (mode == Mode.SCRATCH_DATABASE) {
            SpecChecks.name("target database", name);
        }
        if (mode == Mode.DIRECTORY && !Path.of(name).isAbsolute()) {
            throw new IllegalArgumentException("target directory: must be absolute, got '%s'".formatted(name));
        }
    }

    /** @return the original source */
    public static RestoreTarget original() {
        return new RestoreTarget(Mode.ORIGINAL, "");
    }

    /**
     * Returns a scratch database target.
     *
     * @param database
     *         the database name; it is dropped and created
     * @return the target
     */
    public static RestoreTarget scratchDatabase(final String database) {
        return new RestoreTarget(Mode.SCRATCH_DATABASE, database);
    }

    /**
     * Returns a directory target.
     *
     * @param directory
     *         an absolute directory that does not exist or is empty
     * @return the target
     */
    public static RestoreTarget directory(final Path directory) {
        return new RestoreTarget(Mode.DIRECTORY, directory.toAbsolutePath().toString());
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
}
