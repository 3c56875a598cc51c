package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;

/** PostgreSQL: {@code pg_dump -Fc}, checked with {@code pg_restore --list}, restored with {@code pg_restore}. */
final class PostgresKind implements KindHandler {
    static final String DUMP = "dump.pgc";

    @Override
    public Payload create(final BackupSpec spec, final Path dir, final BackupContext ctx) throws IOException {
        PostgresBackupSpec pg = (PostgresBackupSpec) spec;
        PostgresClient client = new PostgresClient(pg, ctx);
        Map<String, String> before = pg.checksumTables() ? client.tableChecksums(pg.database()) : Map.of();
        Path dump = dir.resolve(DUMP);
        Processes.run(ctx, "pg_dump of " + pg.describe(),
                client.request("pg_dump", pg.database(), List.of("-Fc", "-f", dump.toString())));
        Map<String, String> checksums = Map.of();
        if (pg.checksumTables()) {
            checksums = settled(before, client.tableChecksums(pg.database()), ctx);
        }
        return new Payload(DUMP, Hashing.sha256(dump), Files.size(dump), null, checksums);
    }

    /** Keeps the table hashes only if nothing changed while dumping: otherwise they may not match the dump. */
    static Map<String, String> settled(final Map<String, String> before, final Map<String, String> after,
            final BackupContext ctx) {
        if (before.equals(after)) {
            return before;
        }
        ctx.listener().info("Tables changed during the dump: no table checksums recorded");
        return Map.of();
    }

    @Override
    public String verify(final BackupManifest manifest, final Path dir, final BackupContext ctx) throws IOException {
        Path dump = checkedPayload(manifest, dir);
        PostgresBackupSpec pg = (PostgresBackupSpec) manifest.spec();
        String list = Processes.run(ctx, "pg_restore --list of " + manifest.id(), CommandRequest.of(
                Duration.ofSeconds(pg.timeoutSeconds()), pg.program("pg_restore"), "--list", dump.toString())).stdout();
        long entries = list.lines().filter(line -> !line.startsWith(";") && !line.isBlank()).count();
        return "sha256 matches; pg_restore --list reads %d entries".formatted(entries);
    }

    static Path checkedPayload(final BackupManifest manifest, final Path dir) throws IOException {
        Path payload = dir.resolve(manifest.payload());
        String sha = Hashing.sha256(payload);
        if (!sha.equals(manifest.sha256())) {
            throw new BackupException("%s has sha256 %s, the manifest says %s".formatted(payload, sha, manifest.sha256()));
        }
        return payload;
    }

    @Override
    public void restore(final BackupManifest manifest, final Path dir, final RestoreTarget target,
            final BackupContext ctx) throws IOException {
        Path dump = checkedPayload(manifest, dir);
        PostgresBackupSpec pg = (PostgresBackupSpec) manifest.spec();
        PostgresClient client = new PostgresClient(pg, ctx);
        String database = database(pg, target);
        if (target.mode() == RestoreTarget.Mode.SCRATCH_DATABASE) {
            client.psql(pg.database(), "DROP DATABASE IF EXISTS \"%s\"".formatted(database));
            client.psql(pg.database(), "CREATE DATABASE \"%s\"".formatted(database));
        }
        // One transaction: a failed restore leaves the database as it was.
        Processes.run(ctx, "pg_restore of %s into %s".formatted(manifest.id(), database),
                client.request("pg_restore", database, List.of("--clean", "--if-exists", "--no-owner",
                        "--single-transaction", "--exit-on-error", dump.toString())));
        ctx.listener().info("Restored %s into database %s".formatted(manifest.id(), database));
    }

    static String database(final PostgresBackupSpec spec, final RestoreTarget target) {
        return target.database(spec.database());
    }

    @Override
    public RestoreTestResult restoreTest(final BackupManifest manifest, final Path dir, final RestoreTarget scratch,
            final BackupContext ctx) throws IOException {
        restore(manifest, dir, scratch, ctx);
        PostgresBackupSpec pg = (PostgresBackupSpec) manifest.spec();
        PostgresClient client = new PostgresClient(pg, ctx);
        try {
            Map<String, String> restored = client.tableChecksums(scratch.name());
            boolean recorded = !manifest.tableChecksums().isEmpty();
            Map<String, String> expected = recorded ? manifest.tableChecksums() : client.tableChecksums(pg.database());
            return TableChecksums.compare(expected, restored,
                    recorded ? "the checksums recorded at backup time" : "the current source", scratch.name());
        }
        finally {
            client.psql(pg.database(), "DROP DATABASE IF EXISTS \"%s\"".formatted(scratch.name()));
        }
    }
}
