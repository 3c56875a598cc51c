package io.jenkins.plugins.rollbackguard.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Searches bytes for secret values in the forms a leak would take: as written, base64, URL-encoded and JSON-escaped.
 * Counts what it searched, per place, so that "0 hits" comes with how much was looked at. One pass per file: the
 * needles are indexed by their first two bytes.
 */
final class SecretScan {
    private static final long LARGEST_FILE = 512L * 1024 * 1024;

    /** A searched form: which secret, which encoding, its bytes. */
    record Needle(String secret, String encoding, byte[] bytes) {
    }

    /** One hit: where, and which secret in which form (never the value). */
    record Hit(String place, String where, String secret, String encoding) {
    }

    /** What was searched in one place. */
    static final class Place {
        private long files;
        private long bytes;
        private int hits;

        long files() {
            return files;
        }

        long bytes() {
            return bytes;
        }

        int hits() {
            return hits;
        }
    }

    private final List<Needle> needles = new ArrayList<>();
    private final Set<String> secrets = new LinkedHashSet<>();
    private final Set<String> encodings = new LinkedHashSet<>();
    @SuppressWarnings("unchecked") // an array of lists indexed by the first two bytes: no boxing per byte scanned
    private final List<Needle>[] byPrefix = new List[1 << 16];
    private final Map<String, Place> places = new LinkedHashMap<>();
    private final List<Hit> hits = new ArrayList<>();

    /**
     * Adds a secret in all its forms.
     *
     * @param name
     *         a label for reports
     * @param value
     *         the value
     * @return this scan
     */
    SecretScan secret(final String name, final String value) {
        for (Map.Entry<String, String> form : forms(value).entrySet()) {
            needle(name, form.getKey(), form.getValue());
        }
        return this;
    }

    /**
     * Adds one more form of a secret (the base64 of user:password for basic authentication).
     *
     * @param name
     *         the secret's label
     * @param encoding
     *         the form's label
     * @param text
     *         the form
     * @return this scan
     */
    SecretScan needle(final String name, final String encoding, final String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (needles.stream().anyMatch(n -> java.util.Arrays.equals(n.bytes(), bytes))) {
            return this;
        }
        Needle needle = new Needle(name, encoding, bytes);
        needles.add(needle);
        secrets.add(name);
        encodings.add(encoding);
        int prefix = prefix(bytes, 0);
        if (byPrefix[prefix] == null) {
            byPrefix[prefix] = new ArrayList<>();
        }
        byPrefix[prefix].add(needle);
        return this;
    }

    /** The forms searched for every value: as written, base64, URL-encoded (two ways) and JSON-escaped. */
    static Map<String, String> forms(final String value) {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("plain", value);
        forms.put("base64", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        String url = URLEncoder.encode(value, StandardCharsets.UTF_8);
        forms.put("url", url);
        forms.put("url-%20", url.replace("+", "%20"));
        forms.put("json", value.replace("\\", "\\\\").replace("\"", "\\\""));
        return forms;
    }

    /**
     * Searches a text.
     *
     * @param place
     *         where it comes from (stdout, cmdline)
     * @param where
     *         which one
     * @param text
     *         the text
     */
    void text(final String place, final String where, final String text) {
        bytes(place, where, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Searches every regular file under a directory (links are not followed).
     *
     * @param place
     *         the place's label
     * @param root
     *         the directory
     * @param since
     *         only files modified at or after this time, or null for all
     */
    void tree(final String place, final Path root, final FileTime since) {
        place(place);
        if (!Files.isDirectory(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && attrs.size() <= LARGEST_FILE
                            && (since == null || attrs.lastModifiedTime().compareTo(since) >= 0)) {
                        try {
                            bytes(place, file.toString(), Files.readAllBytes(file));
                        }
                        catch (NoSuchFileException e) {
                            // deleted while we looked (another process's temporary file)
                        }
                        catch (IOException e) {
                            throw new UncheckedIOException("cannot read " + file, e);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(final Path file, final IOException e) {
                    return FileVisitResult.CONTINUE; // vanished, or a socket: nothing to read
                }
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + root, e);
        }
    }

    private void bytes(final String place, final String where, final byte[] data) {
        Place counts = place(place);
        counts.files++;
        counts.bytes += data.length;
        Set<Needle> found = new LinkedHashSet<>();
        for (int i = 0; i + 1 < data.length; i++) {
            List<Needle> candidates = byPrefix[prefix(data, i)];
            if (candidates != null) {
                for (Needle needle : candidates) {
                    if (matches(data, i, needle.bytes())) {
                        found.add(needle);
                    }
                }
            }
        }
        for (Needle needle : found) {
            counts.hits++;
            hits.add(new Hit(place, where, needle.secret(), needle.encoding()));
        }
    }

    private Place place(final String name) {
        return places.computeIfAbsent(name, k -> new Place());
    }

    private static boolean matches(final byte[] data, final int at, final byte[] needle) {
        if (at + needle.length > data.length) {
            return false;
        }
        for (int j = 0; j < needle.length; j++) {
            if (data[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    private static int prefix(final byte[] data, final int at) {
        return (data[at] & 0xff) << 8 | data[at + 1] & 0xff;
    }

    List<Hit> hits() {
        return List.copyOf(hits);
    }

    int needleCount() {
        return needles.size();
    }

    /** @return one line per place and a total: secrets x encodings x places, files, bytes, hits */
    String report() {
        StringBuilder text = new StringBuilder("secret scan: %d values x %d encodings (%d distinct forms) x %d places%n"
                .formatted(secrets.size(), encodings.size(), needles.size(), places.size()));
        Map<String, Place> sorted = new TreeMap<>(places);
        long files = 0;
        long bytes = 0;
        for (Map.Entry<String, Place> place : sorted.entrySet()) {
            Place p = place.getValue();
            files += p.files();
            bytes += p.bytes();
            text.append("  %-28s %6d items %12d bytes  %d hits%n".formatted(place.getKey(), p.files(), p.bytes(), p.hits()));
        }
        text.append("  total: %d items, %d bytes, %d searches of forms x items, %d hits%n"
                .formatted(files, bytes, files * needles.size(), hits.size()));
        hits.forEach(hit -> text.append("  HIT %s: %s in %s form at %s%n".formatted(hit.place(), hit.secret(),
                hit.encoding(), hit.where())));
        return text.toString();
    }
}
