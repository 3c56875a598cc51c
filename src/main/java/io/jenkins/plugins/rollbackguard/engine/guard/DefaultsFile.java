package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;

/**
 * The CLI's host defaults, {@code $ROLLBACK_GUARD_HOME/defaults.yaml}: a mapping of the settings a host may default
 * ({@link HostDefaults#FIELDS}) to their values, under the names of a policy's {@code analysis:} and of the policy,
 * e.g. {@code interval: 30s} or {@code cooldown: 1h}. A missing file means none. Every refusal is one sentence naming the file, the field, the
 * value and the fix; a field that is not one of them is refused, not ignored.
 */
public final class DefaultsFile {
    /** The file's name in the home directory. */
    public static final String NAME = "defaults.yaml";
    private static final int MAX_BYTES = 64 * 1024;

    private DefaultsFile() {
        // static helpers only
    }

    /**
     * Reads the defaults of a home directory.
     *
     * @param home
     *         the home directory ({@code --home}, {@code $ROLLBACK_GUARD_HOME} or {@code $HOME/.rollback-guard})
     * @return its defaults, {@link HostDefaults#NONE} when it has no {@value #NAME}
     * @throws PolicyException
     *         naming the file, the field, the value and the fix
     */
    public static HostDefaults read(final Path home) {
        Path file = home.resolve(NAME);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        catch (NoSuchFileException e) {
            return HostDefaults.NONE;
        }
        catch (IOException e) {
            throw refuse(file, null, "the file cannot be read; make it a readable file or remove it", e);
        }
        if (bytes.length > MAX_BYTES) {
            throw refuse(file, null, "the file is larger than 64 KiB; it holds at most six lines such as "
                    + "'interval: 30s'", null);
        }
        return parse(file, new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Parses the text of a defaults file.
     *
     * @param file
     *         the file, for messages and as the defaults' source
     * @param text
     *         the YAML text
     * @return the defaults
     * @throws PolicyException
     *         naming the file, the field, the value and the fix
     */
    static HostDefaults parse(final Path file, final String text) {
        JsonNode tree;
        try {
            tree = new PolicyReader().mapper().readTree(text);
        }
        catch (JsonProcessingException e) {
            throw refuse(file, null, "not valid YAML%s; write one 'field: value' a line, e.g. 'interval: 30s'".formatted(
                    e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return source(file, null); // empty, or comments only
        }
        if (!tree.isObject()) {
            throw refuse(file, null, "expected a mapping of 'field: value' lines, e.g. 'interval: 30s'", null);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!HostDefaults.FIELDS.contains(entry.getKey())) {
                throw refuse(file, entry.getKey(), unknown(entry.getKey()), null);
            }
        }
        return source(file, tree);
    }

    /** @return how {@code validate --explain} names a defaults file */
    static String sourceOf(final Path file) {
        return NAME + " (" + file + ")";
    }

    /** Builds the defaults of a mapping (null: none) with the engine's checks, in the engine's words. */
    private static HostDefaults source(final Path file, final JsonNode tree) {
        JsonNode fields = tree == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : tree;
        try {
            return new HostDefaults(new AnalysisDefaults(sourceOf(file), text(file, fields, "interval"),
                    text(file, fields, "duration"), number(file, fields, "failureLimit", 0),
                    number(file, fields, "consecutiveErrorLimit", 0)), text(file, fields, "cooldown"),
                    number(file, fields, "keepGood", 1));
        }
        catch (IllegalArgumentException e) { // the engine's words: "analysis.interval: must be positive, got '0s'"
            String message = e.getMessage().replaceFirst("^analysis\\.", "");
            String field = message.substring(0, Math.max(0, message.indexOf(':')));
            throw refuse(file, field, message.substring(message.indexOf(':') + 2) + "; correct it, or remove the line"
                    + " for the engine's default", e);
        }
    }

    private static String unknown(final String name) {
        List<Object> known = new ArrayList<>(HostDefaults.FIELDS);
        String near = PolicyReader.nearest(name, known);
        return (near != null ? "unknown field; did you mean '%s'?".formatted(near)
                : "is not a setting a host may default; the file takes %s, and every other setting belongs in the policy"
                        .formatted(String.join(", ", HostDefaults.FIELDS)));
    }

    private static String text(final Path file, final JsonNode tree, final String field) {
        JsonNode value = tree.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw refuse(file, field, "'%s' is not a duration; give one such as 30s, 5m or 1h30m".formatted(
                    PolicyReader.shorten(value.asText())), null);
        }
        return value.textValue();
    }

    private static Integer number(final Path file, final JsonNode tree, final String field, final int least) {
        JsonNode value = tree.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw refuse(file, field, "'%s' is not a whole number; give %d or more".formatted(
                    PolicyReader.shorten(value.asText()), least), null);
        }
        return value.intValue();
    }

    private static PolicyException refuse(final Path file, final String field, final String problem,
            final Throwable cause) {
        String where = field == null ? "" : field + ": ";
        return new PolicyException(PolicyReader.clean(file + ": " + where + problem), cause,
                field == null ? PolicyException.Kind.TEXT : PolicyException.Kind.VALUE, field);
    }
}
