package io.jenkins.plugins.rollbackguard.engine.spi;

import java.io.Serial;
import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces every occurrence of known secret values in a text by {@link Secret#MASK}. Every message,
 * exception and log line that may contain process output or a server's answer goes through one.
 *
 * <p>Each secret is masked as written and in the forms a program is likely to print it in: URL-encoded
 * ({@code %20} and {@code +} for a space), JSON-escaped, and base64 (standard and URL-safe alphabets). The base64
 * forms are masked wherever the secret sits in the encoded bytes, so {@code base64("user:" + password)} in a
 * basic-auth header is masked without knowing the user: a secret inside a longer encoded text leaves at most a
 * character on either side of the mask.
 */
public final class Masker implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Secrets shorter than this are not masked: masking "a" would shred every line. */
    static final int MIN_LENGTH = 3;
    /** Base64 forms shorter than this are not masked: a short run of base64 characters is common in any text. */
    static final int MIN_ENCODED_LENGTH = 8;
    private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\u([0-9a-f]{4})");

    private final List<String> values; // every form to mask, longest first

    private Masker(final List<String> values) {
        this.values = values;
    }

    /** @return a masker that knows no secret */
    public static Masker none() {
        return new Masker(List.of());
    }

    /**
     * Creates a masker for the given secrets and their encoded forms.
     *
     * @param secrets
     *         the secrets to hide
     * @return the masker
     */
    public static Masker of(final Collection<Secret> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (Secret secret : secrets) {
            if (secret != null && secret.reveal().length() >= MIN_LENGTH) {
                forms.addAll(forms(secret.reveal()));
            }
        }
        return sorted(forms);
    }

    /**
     * Returns a masker that hides this one's secrets and the given ones.
     *
     * @param more
     *         further secrets
     * @return a new masker
     */
    public Masker with(final Collection<Secret> more) {
        return with(of(more));
    }

    /**
     * Returns a masker that hides this one's secrets and another's.
     *
     * @param other
     *         another masker
     * @return a new masker
     */
    public Masker with(final Masker other) {
        if (other.values.isEmpty()) {
            return this;
        }
        if (values.isEmpty()) {
            return other;
        }
        Set<String> all = new LinkedHashSet<>(values);
        all.addAll(other.values);
        return sorted(all);
    }

    /**
     * Masks a text.
     *
     * @param text
     *         any text, may be null
     * @return the text with every secret value replaced, or null for null
     */
    public String mask(final String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String result = text;
        for (String value : values) {
            result = result.replace(value, Secret.MASK);
        }
        return result;
    }

    /** @return whether this masker knows no secret */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** @return how many forms (values and their encodings) this masker hides */
    int size() {
        return values.size();
    }

    @Override
    public String toString() {
        return "Masker[" + values.size() + " forms]";
    }

    private static Masker sorted(final Collection<String> forms) {
        List<String> list = new ArrayList<>(forms);
        // Longest first, so that a secret containing another is masked whole.
        list.sort(Comparator.comparingInt(String::length).reversed());
        return new Masker(List.copyOf(list));
    }

    /**
     * Lists the forms of one secret that are masked.
     *
     * @param value
     *         the plain value
     * @return the value, its URL-encoded and JSON-escaped forms, and its base64 cores
     */
    static Set<String> forms(final String value) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        String form = URLEncoder.encode(value, StandardCharsets.UTF_8);
        forms.add(form);
        forms.add(form.replace("+", "%20"));
        forms.add(json(value, false));
        forms.add(json(value, true));
        forms.add(upperHex(json(value, true)));
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder encoder : List.of(Base64.getEncoder().withoutPadding(), Base64.getUrlEncoder().withoutPadding())) {
            for (int offset = 0; offset < 3; offset++) {
                String core = base64Core(encoder, bytes, offset);
                if (core.length() >= MIN_ENCODED_LENGTH) {
                    forms.add(core);
                }
            }
        }
        return forms;
    }

    /**
     * Encodes the secret as if it followed {@code offset} other bytes and keeps only the characters made of the
     * secret's bits alone: those appear in the base64 of any text that holds the secret at that alignment.
     */
    private static String base64Core(final Base64.Encoder encoder, final byte[] secret, final int offset) {
        byte[] shifted = new byte[offset + secret.length];
        System.arraycopy(secret, 0, shifted, offset, secret.length);
        String encoded = encoder.encodeToString(shifted);
        int first = (offset * 8 + 5) / 6; // the first character with no bit of the bytes before
        int end = (shifted.length * 8) / 6; // characters after this one hold bits of the bytes after
        return first >= end ? "" : encoded.substring(first, end);
    }

    /** Writes the hex digits of every unicode escape in upper case (Jackson's way; others use lower case). */
    private static String upperHex(final String escaped) {
        Matcher matcher = UNICODE_ESCAPE.matcher(escaped);
        StringBuilder text = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(text, Matcher.quoteReplacement("\\u" + matcher.group(1).toUpperCase(Locale.ROOT)));
        }
        matcher.appendTail(text);
        return text.toString();
    }

    /** Escapes as a JSON string's content: minimally, or also {@code /} and every non-ASCII character. */
    private static String json(final String value, final boolean ascii) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                case '\b' -> text.append("\\b");
                case '\f' -> text.append("\\f");
                case '/' -> text.append(ascii ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || ascii && c > 0x7e) {
                        text.append("\\u%04x".formatted((int) c));
                    }
                    else {
                        text.append(c);
                    }
                }
            }
        }
        return text.toString();
    }
}
