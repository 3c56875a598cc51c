package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes a store's manifests authentic: each committed backup carries {@code manifest.sig}, an HMAC-SHA256 with the
 * store's own key over its manifest and its file manifest. A manifest's sha256 only says the archive matches the
 * manifest; whoever can write the store can write both. The seal says this store wrote them, so a forged manifest
 * (a payload outside the backup, another restore path or command) is refused before anything is read from it.
 *
 * <p>The key is {@code store.key} in the store's root (32 random bytes, mode 0600), created on first use; it is the
 * one place a later encryption key will live too. Backups written before the key existed have no seal and are
 * refused until {@code rollback-guard backup trust} checks their archive against their file manifest and seals
 * them.</p>
 */
final class ManifestSeal {
    static final String KEY = "store.key";
    static final String SIGNATURE = "manifest.sig";
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] DOMAIN = "rollback-guard manifest seal v1\n".getBytes(StandardCharsets.UTF_8);

    /** What a backup's seal says. */
    enum State {
        /** Sealed by this store, and unchanged since. */
        AUTHENTIC,
        /** No seal: written before the store sealed its manifests (or the seal was removed). */
        UNSEALED,
        /** A seal that does not match: the manifest or file manifest changed after it was sealed, or another key. */
        BROKEN
    }

    private final byte[] key;

    private ManifestSeal(final byte[] key) {
        this.key = key;
    }

    /**
     * Opens the seal of a store, creating its key on first use.
     *
     * @param storeRoot
     *         the store's root directory
     * @return the seal
     * @throws IOException
     *         if the key cannot be read or created
     */
    static ManifestSeal of(final Path storeRoot) throws IOException {
        Path file = storeRoot.resolve(KEY);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            create(storeRoot, file);
        }
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new BackupException("The store key %s is not a plain file: remove it and let the store create a new one"
                    .formatted(file));
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length < 32) {
            throw new BackupException("The store key %s is shorter than 32 bytes: remove it; backups sealed with it "
                    .formatted(file) + "must then be trusted again");
        }
        return new ManifestSeal(key);
    }

    private static void create(final Path storeRoot, final Path file) throws IOException {
        Files.createDirectories(storeRoot);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path temp = storeRoot.resolve(KEY + "." + UUID.randomUUID() + ".tmp");
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) { // keeps the 0600 mode
                channel.write(ByteBuffer.wrap(key));
                channel.force(true);
            }
            try {
                // no REPLACE_EXISTING: when two processes race, the first key wins and the other reads it
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (FileAlreadyExistsException e) {
                // another process created it first
            }
            AtomicFiles.sync(storeRoot);
        }
        finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Seals a backup directory as it is now.
     *
     * @param backupDir
     *         the directory with {@code manifest.json} (and {@code files.json} for files backups)
     * @throws IOException
     *         if the seal cannot be written
     */
    void seal(final Path backupDir) throws IOException {
        AtomicFiles.write(backupDir.resolve(SIGNATURE), HexFormat.of().formatHex(mac(backupDir))
                .getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Checks a backup directory's seal.
     *
     * @param backupDir
     *         the directory
     * @return what the seal says
     * @throws IOException
     *         if the files cannot be read
     */
    State check(final Path backupDir) throws IOException {
        Path signature = backupDir.resolve(SIGNATURE);
        if (!Files.isRegularFile(signature, LinkOption.NOFOLLOW_LINKS)) {
            return State.UNSEALED;
        }
        byte[] stored;
        try {
            stored = HexFormat.of().parseHex(Files.readString(signature, StandardCharsets.US_ASCII).trim());
        }
        catch (IllegalArgumentException e) {
            return State.BROKEN;
        }
        return MessageDigest.isEqual(stored, mac(backupDir)) ? State.AUTHENTIC : State.BROKEN;
    }

    private byte[] mac(final Path backupDir) throws IOException {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(DOMAIN);
            for (String name : new String[] {BackupStore.MANIFEST, FilesKind.FILE_MANIFEST}) {
                mac.update((name + "\n").getBytes(StandardCharsets.UTF_8));
                mac.update(digest(backupDir.resolve(name)));
            }
            return mac.doFinal();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this Java runtime", e);
        }
    }

    /** The file's sha256, or 32 zero bytes for a file that is absent (a database backup has no file manifest). */
    private static byte[] digest(final Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new BackupException("Refusing %s: a backup's files are never links".formatted(file));
        }
        try {
            return HexFormat.of().parseHex(Hashing.sha256(file));
        }
        catch (NoSuchFileException e) {
            return new byte[32];
        }
    }
}
