package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps backups under {@code root/<environment>/<backup-id>/}: the payload, the per-file manifest (files kind)
 * and {@code manifest.json}. A backup is written into {@code <id>.partial}, verified, given its manifest (temp
 * file, fsync, atomic rename) and only then renamed to {@code <id>}: a killed or failed backup is never listed,
 * and {@link #prune} removes what it left behind. Create one per root; it holds no state besides the path.
 */
public final class BackupStore {
    static final String MANIFEST = "manifest.json";
    static final String PARTIAL = ".partial";
    private static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path root;

    /**
     * Creates a store.
     *
     * @param root
     *         the directory holding all environments; created on the first backup
     */
    public BackupStore(final Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * Takes, verifies and commits a backup.
     *
     * @param environment
     *         the environment, such as {@code prod}
     * @param spec
     *         what to back up
     * @param ctx
     *         secrets, runner, clock, listener and label
     * @return the committed manifest; its verification passed
     * @throws BackupException
     *         if the source is missing, the dump fails, the store is not writable or verification fails; no
     *         usable backup is left behind then
     */
    public BackupManifest take(final String environment, final BackupSpec spec, final BackupContext ctx) {
        Path envDir = environmentDir(environment);
        Instant started = ctx.scheduler().now();
        String id = ID_TIME.format(started) + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path partial = envDir.resolve(id + PARTIAL);
        ctx.listener().info("Backing up %s (%s) as %s".formatted(spec.describe(), environment, id));
        FileLock lock = null;
        try {
            createDirectories(envDir);
            Files.createDirectory(partial);
            lock = AtomicFiles.lock(partial);
            KindHandler handler = Kinds.of(spec.kind());
            KindHandler.Payload payload = handler.create(spec, partial, ctx);
            Duration duration = Duration.between(started, ctx.scheduler().now());
            BackupManifest manifest = new BackupManifest(id, environment, spec.kind(), spec.describe(), spec,
                    payload.fileName(), payload.size(), payload.sha256(), started, duration,
                    new Verification(false, started, "not verified yet"), payload.fileManifest(),
                    payload.tableChecksums(), ctx.label());
            manifest = manifest.withVerification(check(handler, manifest, partial, ctx));
            if (!manifest.usable()) {
                throw new BackupException("Backup %s of %s failed verification: %s".formatted(
                        id, spec.describe(), manifest.verification().detail()));
            }
            commit(partial, envDir.resolve(id), manifest);
            ctx.listener().info("Backup %s committed: %d bytes, sha256 %s".formatted(id, manifest.size(),
                    manifest.sha256()));
            return manifest;
        }
        catch (IOException e) {
            throw new BackupException("Backup %s of %s failed: %s".formatted(id, spec.describe(), e), e);
        }
        finally {
            if (lock != null) {
                AtomicFiles.release(lock);
            }
            StoreLayout.deleteQuietly(partial);
        }
    }

    private void commit(final Path partial, final Path target, final BackupManifest manifest) throws IOException {
        try (Stream<Path> files = Files.list(partial)) {
            for (Path file : files.toList()) {
                AtomicFiles.sync(file);
            }
        }
        Files.deleteIfExists(partial.resolve(AtomicFiles.LOCK));
        AtomicFiles.write(partial.resolve(MANIFEST), Json.MAPPER.writeValueAsBytes(manifest));
        seal().seal(partial);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.sync(target.getParent());
    }

    private static Verification check(final KindHandler handler, final BackupManifest manifest, final Path dir,
            final BackupContext ctx) {
        Instant at = ctx.scheduler().now();
        try {
            return new Verification(true, at, handler.verify(manifest, dir, ctx));
        }
        catch (IOException | BackupException e) {
            return new Verification(false, at, e.getMessage());
        }
    }

    /**
     * Verifies a committed backup again and records the result in its manifest.
     *
     * @param id
     *         the backup
     * @param ctx
     *         the ports (database kinds run {@code pg_restore --list})
     * @return the verification
     */
    public Verification verify(final String id, final BackupContext ctx) {
        BackupManifest manifest = requireAuthentic(id);
        Path dir = backupDir(manifest);
        Verification result = check(Kinds.of(manifest.kind()), manifest, dir, ctx);
        try {
            AtomicFiles.write(dir.resolve(MANIFEST), Json.MAPPER.writeValueAsBytes(manifest.withVerification(result)));
            seal().seal(dir);
        }
        catch (IOException e) {
            throw new BackupException("Cannot record the verification of %s: %s".formatted(id, e), e);
        }
        return result;
    }

    /**
     * Restores a backup.
     *
     * @param id
     *         the backup
     * @param target
     *         the original source, a scratch database or a directory
     * @param ctx
     *         the ports
     */
    public void restore(final String id, final RestoreTarget target, final BackupContext ctx) {
        BackupManifest manifest = requireAuthentic(id);
        if (target.mode() == RestoreTarget.Mode.ORIGINAL) {
            manifest = manifest.withSpec(policySpec(manifest, target.policy()));
        }
        try {
            Kinds.of(manifest.kind()).restore(manifest, backupDir(manifest), target, ctx);
        }
        catch (IOException e) {
            throw new BackupException("Restore of %s to %s failed: %s".formatted(id, target, e), e);
        }
    }

    /**
     * Finishes or undoes an in-place files restore of a directory that was killed or failed half-way, so that the
     * directory is either the tree it had or the complete restored tree. Every in-place restore does this first for
     * its destination; call it after a crash to settle the directory without restoring anything else.
     *
     * @param destination
     *         the directory a files backup was being restored over
     * @param ctx
     *         the listener is told what was done
     * @return one line per interrupted restore that was finished or undone; empty if there was none
     */
    public List<String> recover(final Path destination, final BackupContext ctx) {
        try {
            return new InPlaceRestore(destination, root, ctx.listener()).recover();
        }
        catch (IOException e) {
            throw new BackupException("Recovering the interrupted restore of %s failed: %s".formatted(destination,
                    e.getMessage()), e);
        }
    }

    /**
     * Restores a backup into scratch space and compares checksums: every file's sha256, or for databases a hash
     * of each table's ordered contents (against those recorded at backup time, or else the current source).
     *
     * @param id
     *         the backup
     * @param scratch
     *         an empty directory (files, command) or a scratch database name (databases)
     * @param ctx
     *         the ports
     * @return what matched
     */
    public RestoreTestResult restoreTest(final String id, final RestoreTarget scratch, final BackupContext ctx) {
        if (scratch.mode() == RestoreTarget.Mode.ORIGINAL) {
            throw new IllegalArgumentException("scratch: a restore test never writes to the original source");
        }
        BackupManifest manifest = requireAuthentic(id);
        try {
            return Kinds.of(manifest.kind()).restoreTest(manifest, backupDir(manifest), scratch, ctx);
        }
        catch (IOException e) {
            throw new BackupException("Restore test of %s failed: %s".formatted(id, e), e);
        }
    }

    /**
     * Lists the committed backups of an environment, newest first.
     *
     * @param environment
     *         the environment
     * @return the manifests
     */
    public List<BackupManifest> list(final String environment) {
        Path envDir = environmentDir(environment);
        if (!Files.isDirectory(envDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(envDir)) {
            return dirs.filter(dir -> ID.matcher(dir.getFileName().toString()).matches())
                    .map(StoreLayout::read).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(BackupManifest::id).reversed()).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + envDir, e);
        }
    }

    /**
     * Finds a committed backup in any environment.
     *
     * @param id
     *         the backup id
     * @return its manifest, or empty if there is no such committed backup
     */
    public Optional<BackupManifest> find(final String id) {
        if (id == null || !ID.matcher(id).matches() || !Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> envs = Files.list(root)) {
            return envs.map(env -> env.resolve(id)).filter(Files::isDirectory).map(StoreLayout::read)
                    .flatMap(Optional::stream).findFirst();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot search " + root, e);
        }
    }

    /**
     * Deletes old backups of an environment and whatever killed backups left behind.
     *
     * @param environment
     *         the environment
     * @param keepLast
     *         how many of the newest usable backups to keep, at least 1
     * @param protectedIds
     *         backups never to delete, such as those referenced by the last good rollback points
     * @return the ids deleted
     */
    public List<String> prune(final String environment, final int keepLast, final Set<String> protectedIds) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast: must be at least 1, got " + keepLast);
        }
        StoreLayout.cleanIncomplete(environmentDir(environment), ID);
        List<String> deleted = new ArrayList<>();
        int kept = 0;
        for (BackupManifest manifest : list(environment)) {
            if (manifest.usable() && kept < keepLast) {
                kept++;
            }
            else if (!protectedIds.contains(manifest.id())) {
                StoreLayout.deleteQuietly(backupDir(manifest));
                deleted.add(manifest.id());
            }
        }
        return deleted;
    }

    private BackupManifest require(final String id) {
        BackupManifest manifest = find(id)
                .orElseThrow(() -> new IllegalArgumentException("id: no committed backup '%s'".formatted(id)));
        StoreLayout.requireOwnFiles(manifest);
        return manifest;
    }

    /**
     * Tells whether a backup's manifest is sealed by this store and unchanged since: only such a backup is
     * restored, tested or verified.
     *
     * @param id
     *         the backup
     * @return whether its seal is good; false for an unknown backup
     */
    public boolean isAuthentic(final String id) {
        Optional<BackupManifest> manifest = find(id);
        if (manifest.isEmpty()) {
            return false;
        }
        try {
            return seal().check(backupDir(manifest.get())) == ManifestSeal.State.AUTHENTIC;
        }
        catch (IOException e) {
            throw new BackupException("Cannot check the seal of backup %s: %s".formatted(id, e), e);
        }
    }

    /**
     * Seals a backup whose manifest has no good seal (written before this store sealed its manifests), after
     * checking its archive against its manifest and file manifest. The caller shows what it seals (the source, and
     * so the place a restore writes to) so that a person confirms it.
     *
     * @param id
     *         the backup
     * @param ctx
     *         the ports (database kinds run {@code pg_restore --list})
     * @return the manifest now sealed, with the verification that allowed it
     * @throws BackupException
     *         if the archive does not match its manifests: nothing is sealed then
     */
    public BackupManifest trust(final String id, final BackupContext ctx) {
        BackupManifest manifest = require(id);
        Path dir = backupDir(manifest);
        Verification result = check(Kinds.of(manifest.kind()), manifest, dir, ctx);
        if (!result.ok()) {
            throw new BackupException("Backup %s was not trusted: its archive does not match its manifest (%s)"
                    .formatted(id, result.detail()));
        }
        BackupManifest verified = manifest.withVerification(result);
        try {
            AtomicFiles.write(dir.resolve(MANIFEST), Json.MAPPER.writeValueAsBytes(verified));
            seal().seal(dir);
        }
        catch (IOException e) {
            throw new BackupException("Cannot seal backup %s: %s".formatted(id, e), e);
        }
        return verified;
    }

    /**
     * The policy's spec for a restore over the original source: it must name the same source the backup was taken
     * of, so that a policy edited since (another directory, another database) never receives the old data.
     */
    private static BackupSpec policySpec(final BackupManifest manifest, final BackupSpec policy) {
        if (policy.kind() != manifest.kind() || !policy.describe().equals(manifest.source())) {
            throw new BackupException(("Backup %s was taken of %s, but the policy's backup is %s: restoring over the "
                    + "original source needs the policy to name that source; restore it into a directory or a scratch "
                    + "database instead, or fix the policy").formatted(manifest.id(), manifest.source(),
                    policy.describe()));
        }
        return policy;
    }

    /**
     * Finds the policy's backup spec of the source a backup was taken of.
     *
     * @param id
     *         the backup
     * @param policy
     *         the policy's backups
     * @return the spec of the same kind and source, or empty when the policy names no such backup
     */
    public Optional<BackupSpec> policySpecOf(final String id, final List<? extends BackupSpec> policy) {
        BackupManifest manifest = require(id);
        return policy.stream().filter(spec -> spec.kind() == manifest.kind() && spec.describe().equals(manifest.source()))
                .map(BackupSpec.class::cast).findFirst();
    }

    private BackupManifest requireAuthentic(final String id) {
        BackupManifest manifest = find(id)
                .orElseThrow(() -> new IllegalArgumentException("id: no committed backup '%s'".formatted(id)));
        ManifestSeal.State state;
        try {
            state = seal().check(backupDir(manifest));
        }
        catch (IOException e) {
            throw new BackupException("Cannot check the seal of backup %s: %s".formatted(id, e), e);
        }
        String trust = "rollback-guard backup trust --env %s --backup %s".formatted(manifest.environment(), id);
        return switch (state) {
            case AUTHENTIC -> {
                StoreLayout.requireOwnFiles(manifest); // sealed, yet still never a file outside the backup
                yield manifest;
            }
            case UNSEALED -> throw new BackupException(("Backup %s has no seal of this store (it was written before "
                    + "the store sealed its manifests): check it and run '%s', then try again").formatted(id, trust));
            case BROKEN -> throw new BackupException(("Backup %s was changed after this store sealed it (its manifest "
                    + "or file list no longer matches the seal): refused; if you changed it on purpose, run '%s'")
                    .formatted(id, trust));
        };
    }

    private ManifestSeal seal() throws IOException {
        return ManifestSeal.of(root);
    }

    private Path backupDir(final BackupManifest manifest) {
        return root.resolve(manifest.environment()).resolve(manifest.id());
    }

    private Path environmentDir(final String environment) {
        if (environment == null || !ENVIRONMENT.matcher(environment).matches()) {
            throw new IllegalArgumentException(("environment: must match [A-Za-z0-9][A-Za-z0-9._-]{0,63} "
                    + "and not be '..', got '%s'").formatted(environment));
        }
        return root.resolve(environment);
    }

    private void createDirectories(final Path envDir) {
        try {
            Files.createDirectories(envDir);
            if (!Files.isWritable(envDir)) {
                throw new BackupException("Backup store %s is not writable".formatted(envDir));
            }
        }
        catch (IOException e) {
            throw new BackupException("Backup store %s is not writable: %s".formatted(envDir, e), e);
        }
    }
}
