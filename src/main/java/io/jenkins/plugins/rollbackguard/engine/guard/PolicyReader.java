package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Reads a {@link Policy} from YAML or JSON (JSON is YAML, so one parser serves both). Unknown fields
 * and wrong types are refused, and every error names the file, the path of the field
 * ({@code probes[1].failIf}) and what was expected.
 */
public final class PolicyReader {
    private static final java.util.regex.Pattern MARK = java.util.regex.Pattern.compile("\\s*in '[^']*', line (\\d+), column (\\d+):?");
    private final ObjectMapper mapper = JsonMapper.builder(new YAMLFactory())
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    /**
     * Reads a policy file.
     *
     * @param file
     *         a .yaml, .yml or .json file
     * @return the policy
     * @throws PolicyException
     *         naming the file, the field and the problem
     */
    public Policy read(final Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new PolicyException("%s: cannot read the policy file: %s".formatted(file, e), e);
        }
        return parse(file.toString(), text);
    }

    /**
     * Parses policy text.
     *
     * @param source
     *         where the text came from, for messages
     * @param text
     *         YAML or JSON
     * @return the policy
     * @throws PolicyException
     *         naming the source, the field and the problem
     */
    public Policy parse(final String source, final String text) {
        try {
            Policy policy = mapper.readValue(text, Policy.class);
            if (policy == null) {
                throw new PolicyException(source + ": the policy is empty", null);
            }
            return policy;
        }
        catch (JsonMappingException e) {
            throw new PolicyException("%s: %s".formatted(source, describe(e)), e);
        }
        catch (JsonProcessingException e) {
            throw new PolicyException("%s: not valid YAML or JSON at line %d, column %d: %s".formatted(source,
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), withoutSnippets(e.getOriginalMessage())), e);
        }
    }

    /** @return the shared mapper, configured as for policy files (also writes YAML) */
    public ObjectMapper mapper() {
        return mapper;
    }

    private static String describe(final JsonMappingException e) {
        String path = path(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "%s: unknown field '%s'; known fields: %s".formatted(path, unknown.getPropertyName(),
                    known(unknown.getKnownPropertyIds()));
        }
        Throwable root = rootCause(e);
        if (root instanceof IllegalArgumentException) { // a record's own validation: its message names the field
            return e.getPath().isEmpty() ? root.getMessage() : path + ": " + root.getMessage();
        }
        if (e instanceof InvalidFormatException invalid) {
            return "%s: '%s' is not a valid %s".formatted(path, invalid.getValue(), typeName(invalid.getTargetType()));
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return "%s: expected %s".formatted(path, typeName(mismatched.getTargetType()));
        }
        return path + ": " + withoutSnippets(e.getOriginalMessage());
    }

    /**
     * Keeps a YAML parser's message without the lines of the file it quotes: the line with the error may hold a
     * secret pasted where its name belongs. The positions stay.
     *
     * @param message
     *         the parser's message, e.g. "while scanning a quoted scalar\n in 'reader', line 6, column 26:\n    auth: ..."
     * @return e.g. "while scanning a quoted scalar (line 6, column 26); found unexpected end of stream (line 7, column 1)"
     */
    static String withoutSnippets(final String message) {
        if (message == null || message.indexOf('\n') < 0) {
            return message;
        }
        StringBuilder text = new StringBuilder();
        for (String line : message.split("\n")) {
            java.util.regex.Matcher mark = MARK.matcher(line);
            if (mark.matches()) {
                text.append(" (line ").append(mark.group(1)).append(", column ").append(mark.group(2)).append(')');
            }
            else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                text.append(text.length() == 0 ? "" : "; ").append(line.strip());
            }
        }
        return text.toString();
    }

    private static String path(final JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            }
            else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "(top level)" : path.toString();
    }

    private static String known(final Collection<Object> ids) {
        return ids == null ? "?" : ids.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
    }

    private static String typeName(final Class<?> type) {
        if (type.isEnum()) {
            StringBuilder values = new StringBuilder();
            for (Object constant : type.getEnumConstants()) {
                values.append(values.length() == 0 ? "" : " | ").append(constant.toString().toLowerCase(Locale.ROOT));
            }
            return "value (one of " + values + ")";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean (true or false)";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "list";
        }
        if (type == io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName.class) {
            return "an environment name";
        }
        return type.getSimpleName();
    }

    private static Throwable rootCause(final Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
