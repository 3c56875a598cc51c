package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.rollbackguard.engine.spi.CommandRequest;

/** Any command that writes the backup to the path it is given; the file is checksummed and kept as is. */
final class CommandKind implements KindHandler {
    static final String OUTPUT = "output.bin";

    @Override
    public Payload create(final BackupSpec spec, final Path dir, final BackupContext ctx) throws IOException {
        CommandBackupSpec command = (CommandBackupSpec) spec;
        Path output = dir.resolve(OUTPUT);
        Processes.run(ctx, "backup command " + command.command().get(0),
                request(command, command.command(), CommandBackupSpec.OUTPUT, output, ctx));
        if (!Files.isRegularFile(output)) {
            throw new BackupException("Backup command %s exited with 0 but wrote no file to %s"
                    .formatted(command.command().get(0), output));
        }
        return new Payload(OUTPUT, Hashing.sha256(output), Files.size(output), null, Map.of());
    }

    private static CommandRequest request(final CommandBackupSpec spec, final List<String> args,
            final String placeholder, final Path file, final BackupContext ctx) {
        List<String> command = args.stream().map(arg -> arg.replace(placeholder, file.toString())).toList();
        CommandRequest request = new CommandRequest(command, Map.of(CommandBackupSpec.FILE_VARIABLE, file.toString()),
                Map.of(), null, Duration.ofSeconds(spec.timeoutSeconds()), null, CommandRequest.DEFAULT_OUTPUT_LIMIT);
        for (Map.Entry<String, String> secret : spec.secretEnvironment().entrySet()) {
            request = request.withSecretEnv(secret.getKey(),
                    ctx.secrets().require(secret.getValue(), "secretEnvironment." + secret.getKey()));
        }
        return request;
    }

    @Override
    public String verify(final BackupManifest manifest, final Path dir, final BackupContext ctx) throws IOException {
        PostgresKind.checkedPayload(manifest, dir);
        return "sha256 matches (%d bytes)".formatted(manifest.size());
    }

    @Override
    public void restore(final BackupManifest manifest, final Path dir, final RestoreTarget target,
            final BackupContext ctx) throws IOException {
        Path file = PostgresKind.checkedPayload(manifest, dir);
        CommandBackupSpec spec = (CommandBackupSpec) manifest.spec();
        switch (target.mode()) {
            case ORIGINAL -> {
                if (spec.restoreCommand().isEmpty()) {
                    throw new IllegalArgumentException("restoreCommand: backup %s has none; restore it to a directory"
                            .formatted(manifest.id()));
                }
                Processes.run(ctx, "restore command " + spec.restoreCommand().get(0),
                        request(spec, spec.restoreCommand(), CommandBackupSpec.INPUT, file, ctx));
            }
            case DIRECTORY -> {
                Path directory = Path.of(target.name());
                Files.createDirectories(directory);
                Files.copy(file, directory.resolve(OUTPUT));
            }
            case SCRATCH_DATABASE -> throw new IllegalArgumentException(
                    "target: a command backup restores with its command or to a directory, not to database '%s'"
                            .formatted(target.name()));
        }
    }

    @Override
    public RestoreTestResult restoreTest(final BackupManifest manifest, final Path dir, final RestoreTarget scratch,
            final BackupContext ctx) throws IOException {
        restore(manifest, dir, scratch, ctx);
        String sha = Hashing.sha256(Path.of(scratch.name()).resolve(OUTPUT));
        boolean ok = sha.equals(manifest.sha256());
        return new RestoreTestResult(ok, 1, ok ? List.of() : List.of(OUTPUT + ": sha256 " + sha),
                "copied file %s the recorded sha256".formatted(ok ? "matches" : "does not match"));
    }
}
