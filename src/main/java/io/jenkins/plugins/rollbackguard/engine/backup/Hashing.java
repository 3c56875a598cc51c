package io.jenkins.plugins.rollbackguard.engine.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Sha256 helpers. */
final class Hashing {
    private Hashing() {
        // static helpers only
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM must provide SHA-256", e);
        }
    }

    static String hex(final MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(final Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return hex(digest);
    }

    /** Hashes and counts what passes through. */
    static final class HashingOutputStream extends FilterOutputStream {
        private final MessageDigest digest = sha256();
        private long count;

        HashingOutputStream(final OutputStream out) {
            super(out);
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length) throws IOException {
            digest.update(bytes, offset, length);
            count += length;
            out.write(bytes, offset, length);
        }

        @Override
        public void write(final int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        String hex() {
            return Hashing.hex(digest);
        }

        long count() {
            return count;
        }
    }
}
