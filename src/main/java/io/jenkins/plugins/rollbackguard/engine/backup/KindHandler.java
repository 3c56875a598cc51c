package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** How one kind of backup is taken, checked and restored; the store does the bookkeeping around it. */
interface KindHandler {
    /** What a kind wrote into the backup directory. */
    record Payload(String fileName, String sha256, long size, String fileManifest, Map<String, String> tableChecksums) {
    }

    /** Writes the payload into a fresh directory. */
    Payload create(BackupSpec spec, Path dir, BackupContext ctx) throws IOException;

    /** Checks the payload deeply and returns a one-line summary; throws {@link BackupException} if it is bad. */
    String verify(BackupManifest manifest, Path dir, BackupContext ctx) throws IOException;

    /** Restores the payload to a target. */
    void restore(BackupManifest manifest, Path dir, RestoreTarget target, BackupContext ctx) throws IOException;

    /** Restores into scratch space and compares checksums. */
    RestoreTestResult restoreTest(BackupManifest manifest, Path dir, RestoreTarget scratch, BackupContext ctx)
            throws IOException;
}
