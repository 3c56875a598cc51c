package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * MariaDB and MySQL: an SQL dump taken in one consistent transaction, with routines and triggers, restored
 * through the client's {@code source} command.
 */
final class MysqlKind implements KindHandler {
    static final String DUMP = "dump.sql";
    /** The last line of every complete dump: a killed dump lacks it. */
    private static final String COMPLETED = "-- Dump completed";

    @Override
    public Payload create(final BackupSpec spec, final Path dir, final BackupContext ctx) throws IOException {
        MysqlBackupSpec my = (MysqlBackupSpec) spec;
        Path dump = dir.resolve(DUMP);
        try (MysqlClient client = new MysqlClient(my, ctx)) {
            Map<String, String> before = my.checksumTables() ? client.tableChecksums(my.database()) : Map.of();
            Processes.run(ctx, my.dumpProgram() + " of " + my.describe(), client.request(my.dumpProgram(),
                    List.of("--single-transaction", "--routines", "--triggers", "--hex-blob",
                            "--result-file=" + dump, my.database())));
            Map<String, String> checksums = Map.of();
            if (my.checksumTables()) {
                checksums = PostgresKind.settled(before, client.tableChecksums(my.database()), ctx);
            }
            return new Payload(DUMP, Hashing.sha256(dump), Files.size(dump), null, checksums);
        }
    }

    @Override
    public String verify(final BackupManifest manifest, final Path dir, final BackupContext ctx) throws IOException {
        Path dump = PostgresKind.checkedPayload(manifest, dir);
        if (!tail(dump).contains(COMPLETED)) {
            throw new BackupException("%s does not end with '%s': the dump is incomplete".formatted(dump, COMPLETED));
        }
        return "sha256 matches; the dump is complete";
    }

    private static String tail(final Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - 256);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void restore(final BackupManifest manifest, final Path dir, final RestoreTarget target,
            final BackupContext ctx) throws IOException {
        Path dump = PostgresKind.checkedPayload(manifest, dir);
        MysqlBackupSpec my = (MysqlBackupSpec) manifest.spec();
        String database = database(my, target);
        try (MysqlClient client = new MysqlClient(my, ctx)) {
            if (target.mode() == RestoreTarget.Mode.SCRATCH_DATABASE) {
                client.sql(my.database(), "DROP DATABASE IF EXISTS %1$s; CREATE DATABASE %1$s"
                        .formatted(MysqlClient.quoted(database)));
            }
            Processes.run(ctx, "restore of %s into %s".formatted(manifest.id(), database),
                    client.request(my.clientProgram(), List.of("-e", "source " + dump, database)));
        }
        ctx.listener().info("Restored %s into database %s".formatted(manifest.id(), database));
    }

    private static String database(final MysqlBackupSpec spec, final RestoreTarget target) {
        return target.database(spec.database());
    }

    @Override
    public RestoreTestResult restoreTest(final BackupManifest manifest, final Path dir, final RestoreTarget scratch,
            final BackupContext ctx) throws IOException {
        restore(manifest, dir, scratch, ctx);
        MysqlBackupSpec my = (MysqlBackupSpec) manifest.spec();
        try (MysqlClient client = new MysqlClient(my, ctx)) {
            try {
                Map<String, String> restored = client.tableChecksums(scratch.name());
                boolean recorded = !manifest.tableChecksums().isEmpty();
                Map<String, String> expected = recorded ? manifest.tableChecksums() : client.tableChecksums(my.database());
                return TableChecksums.compare(expected, restored,
                        recorded ? "the checksums recorded at backup time" : "the current source", scratch.name());
            }
            finally {
                client.sql(my.database(), "DROP DATABASE IF EXISTS " + MysqlClient.quoted(scratch.name()));
            }
        }
    }
}
