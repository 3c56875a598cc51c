package io.jenkins.plugins.rollbackguard.engine.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What an in-place files restore is doing, written (temp file, fsync, atomic rename) before each phase beside the
 * target ({@code .NAME.rg-restore.json}) or, when the target is a mount point, inside it ({@code .rg-restore.json}).
 * It names every directory involved and the backup's include and exclude patterns, so that a restore killed at any
 * moment is finished or undone from it alone.
 *
 * @param version
 *         the format, 1
 * @param layout
 *         where the prepared and replaced trees live
 * @param destination
 *         the directory being restored
 * @param prepared
 *         the restored tree while it is built
 * @param replaced
 *         where the live tree goes; empty if the destination did not exist
 * @param backupId
 *         the backup being restored
 * @param phase
 *         the phase in progress
 * @param rollbackFrom
 *         for {@link Phase#ROLLING_BACK}: the phase being undone
 * @param include
 *         the backup's include patterns
 * @param exclude
 *         the backup's exclude patterns
 * @param startedAt
 *         when the restore started
 * @param pid
 *         the process that started it
 */
record RestoreIntent(int version, Layout layout, String destination, String prepared, String replaced,
                     String backupId, Phase phase, Phase rollbackFrom, List<String> include, List<String> exclude,
                     Instant startedAt, long pid) {
    /** Where the restore keeps its trees. */
    enum Layout {
        /** Siblings of the destination, swapped with it by renaming the destination itself. */
        BESIDE,
        /** Inside the destination (a mount point, which cannot be renamed), swapped entry by entry at the top. */
        INSIDE
    }

    /** The phases, in order; a killed restore resumes the one recorded. */
    enum Phase {
        /** The backup is extracted into the prepared tree; undone by deleting it. */
        PREPARING,
        /** The prepared tree is complete; the live entries the backup left out are moved into it. */
        CARRYING,
        /** The live tree is moved to the replaced place. */
        SWAP_OUT,
        /** The prepared tree is moved into the destination. */
        SWAP_IN,
        /** A failed restore is being undone, from {@link #rollbackFrom}. */
        ROLLING_BACK
    }

    RestoreIntent {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        replaced = replaced == null ? "" : replaced;
    }

    RestoreIntent at(final Phase next) {
        return new RestoreIntent(version, layout, destination, prepared, replaced, backupId, next, rollbackFrom,
                include, exclude, startedAt, pid);
    }

    RestoreIntent rollingBackFrom(final Phase undone) {
        return new RestoreIntent(version, layout, destination, prepared, replaced, backupId, Phase.ROLLING_BACK,
                undone, include, exclude, startedAt, pid);
    }

    Path destinationPath() {
        return Path.of(destination);
    }

    Path preparedPath() {
        return Path.of(prepared);
    }

    /** @return the replaced tree's place, or null if the destination did not exist */
    Path replacedPath() {
        return replaced.isEmpty() ? null : Path.of(replaced);
    }

    PathSelection selection() {
        return PathSelection.of(include, exclude);
    }
}
