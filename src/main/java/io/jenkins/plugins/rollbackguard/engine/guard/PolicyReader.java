package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.io.Serial;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.LoaderOptions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Condition;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.ThresholdParser;

/**
 * Reads a {@link Policy} from YAML or, for a source whose name ends in {@code .json}, strict JSON (no comments,
 * trailing commas or unquoted keys). The reader cannot be pushed over: a file is read up to 1 MiB + 1 byte and
 * refused beyond; duplicate keys, YAML tags ({@code !!java...}), anchors and aliases and nesting deeper than
 * {@value #MAX_DEPTH} are refused before any object is built. Every refusal is a {@link PolicyException} with one
 * line: the source, the path of the field ({@code probes[1].failIf}), the value (shortened beyond
 * {@value #MAX_VALUE} characters) and the fix, never a Java class name or a stack trace. After the schema, the
 * reader checks what the schema cannot: thresholds that can never or always hold, and percentages compared with
 * an HTTP probe's latency. A reader made with a host's {@link HostDefaults} lays them under what the policy
 * ({@code cooldown}, {@code keepGood}) and each probe's analysis leave unset (the policy's value &gt; the host's
 * default &gt; the engine's), and {@code explain} says where each effective value came from.
 */
public final class PolicyReader {
    /** The largest policy accepted, in bytes (and, for text given as a string, in characters). */
    public static final int MAX_BYTES = 1024 * 1024;
    /** The deepest nesting of lists and mappings accepted; a policy needs about six levels. */
    static final int MAX_DEPTH = 32;
    /** Values longer than this are shown as their first {@value #SHOWN} characters and their length. */
    static final int MAX_VALUE = 80;
    private static final int SHOWN = 60;
    private static final int MAX_MESSAGE = 700;

    private static final Pattern MARK = Pattern.compile("\\s*in '[^']*', line (\\d+), column (\\d+):?");
    private static final Pattern LONG_WORD = Pattern.compile("\\S{" + (MAX_VALUE + 1) + ",}");
    private static final Pattern CLASS_NAME = Pattern.compile("`?\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z][\\w$]*)`?");
    private static final Pattern TYPE_IDS = Pattern.compile("known type ids = \\[([^\\]]*)]");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

    /**
     * The only tags accepted: {@link #mapper()} writes the type of a probe or backup as a local tag ({@code !<http>}),
     * so the policies kept in the ledger carry them.
     */
    private static final java.util.Set<String> TYPE_TAGS = java.util.stream.Stream.of(ProbeSpec.class,
                    io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec.class)
            .flatMap(type -> java.util.Arrays.stream(type.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value()))
            .map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::name).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static final ObjectMapper YAML = configure(JsonMapper.builder(yamlFactory()));
    private static final ObjectMapper JSON = configure(JsonMapper.builder(jsonFactory()));

    /** The host's defaults for what a policy and its probes leave unset ({@link HostDefaults#NONE}: the engine's). */
    private final HostDefaults defaults;

    /** Creates a reader that fills what a policy leaves unset with the engine's defaults. */
    public PolicyReader() {
        this(HostDefaults.NONE);
    }

    /**
     * Creates a reader that fills what a probe's analysis leaves unset with a host's defaults, then the engine's:
     * the policy's value &gt; the host's default &gt; the engine's default (the inline probes' rule,
     * {@code AnalysisSettingsBuilder.hostDefaults}).
     *
     * @param defaults
     *         the host's defaults: the Jenkins global configuration, or the CLI's {@code defaults.yaml}
     */
    public PolicyReader(final AnalysisDefaults defaults) {
        this(HostDefaults.of(defaults));
    }

    /**
     * Creates a reader that fills what a policy leaves unset with a host's defaults, then the engine's: for
     * {@code cooldown}, {@code keepGood} and each probe's analysis, the policy's value &gt; the host's default &gt;
     * the engine's default.
     *
     * @param defaults
     *         the host's defaults: the Jenkins global configuration, or the CLI's {@code defaults.yaml}
     */
    public PolicyReader(final HostDefaults defaults) {
        this.defaults = defaults;
    }

    private static YAMLFactory yamlFactory() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(0); // aliases are refused anyway (see scan); this bounds SnakeYAML too
        options.setNestingDepthLimit(MAX_DEPTH + 1);
        options.setCodePointLimit(MAX_BYTES + 1);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        return YAMLFactory.builder().loaderOptions(options).streamReadConstraints(constraints())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    private static JsonFactory jsonFactory() {
        // JSON features beyond the standard (comments, trailing commas, single quotes, unquoted names) stay off.
        return JsonFactory.builder().streamReadConstraints(constraints())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    private static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).maxStringLength(MAX_BYTES + 1)
                .maxNumberLength(100).maxDocumentLength(MAX_BYTES + 1L).build();
    }

    private static ObjectMapper configure(final JsonMapper.Builder builder) {
        return builder.addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                // allowDataRestore: 0 or 'true' is a mistake, not a boolean: a boolean is written true or false, as
                // the schema says (YAML's parser would otherwise let any scalar through to databind's coercions)
                .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("policy-booleans")
                        .addDeserializer(Boolean.class, new StrictBoolean()))
                // a key without a value in a YAML flow mapping ({interval: 10s, count}) is an empty text: for a
                // number that is no number, as the schema says, rather than the default
                .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Integer, config -> config
                        .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.EmptyString,
                                com.fasterxml.jackson.databind.cfg.CoercionAction.Fail))
                .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Float, config -> config
                        .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.EmptyString,
                                com.fasterxml.jackson.databind.cfg.CoercionAction.Fail))
                .build();
    }

    /** Reads only true and false (and null, the default): no 0, 1 or quoted text. */
    private static final class StrictBoolean extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<Boolean> {
        @Serial
        private static final long serialVersionUID = 1L; // first release

        StrictBoolean() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(final JsonParser p, final com.fasterxml.jackson.databind.DeserializationContext ctxt)
                throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                return token == JsonToken.VALUE_TRUE;
            }
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                Object number;
                try {
                    number = p.getNumberValue();
                }
                catch (NumberFormatException | com.fasterxml.jackson.core.JsonProcessingException e) {
                    // YAML's .inf and .nan have no number value: shown as written, and still as a number
                    number = new StringBuilder(p.getText());
                }
                throw InvalidFormatException.from(p, "a number is not a boolean", number, Boolean.class);
            }
            if (token == JsonToken.VALUE_STRING) {
                throw InvalidFormatException.from(p, "text is not a boolean", p.getText(), Boolean.class);
            }
            return (Boolean) ctxt.handleUnexpectedToken(Boolean.class, p);
        }
    }

    /**
     * Reads a policy file, at most {@value #MAX_BYTES} + 1 bytes of it.
     *
     * @param file
     *         a .yaml, .yml or .json file
     * @return the policy
     * @throws PolicyException
     *         naming the file, the field and the problem
     */
    public Policy read(final Path file) {
        return parse(file.toString(), load(file));
    }

    /**
     * Reads a policy file as {@link #read(Path)} does, and tells where each effective analysis value of each probe
     * came from: the policy, the host's defaults or the engine's.
     *
     * @param file
     *         a .yaml, .yml or .json file
     * @return the policy and the origins of its probes' values
     * @throws PolicyException
     *         naming the file, the field and the problem
     */
    public ExplainedPolicy explain(final Path file) {
        return explain(file.toString(), load(file));
    }

    /**
     * Parses policy text as {@link #parse(String, String)} does, and tells where each effective analysis value of
     * each probe came from.
     *
     * @param source
     *         where the text came from, for messages; a name ending in {@code .json} selects strict JSON
     * @param text
     *         YAML or JSON
     * @return the policy and the origins of its probes' values
     * @throws PolicyException
     *         naming the source, the field and the problem
     */
    public ExplainedPolicy explain(final String source, final String text) {
        Policy policy = parse(source, text);
        return layers(source, mapperFor(source), text).explain(policy);
    }

    private static String load(final Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        catch (NoSuchFileException e) {
            throw refuse(file.toString(), "there is no such file; check the path given for the policy", e);
        }
        catch (AccessDeniedException e) {
            throw refuse(file.toString(), "the file cannot be read (permission denied); make it readable", e);
        }
        catch (IOException e) {
            throw refuse(file.toString(), Files.isDirectory(file) ? "this is a directory; give the policy file in it"
                    : "the file cannot be read; check that it is a readable file", e);
        }
        if (bytes.length > MAX_BYTES) {
            throw refuse(file.toString(), tooLarge(), null);
        }
        return decode(file.toString(), bytes);
    }

    /**
     * Reads a policy from a stream (a file in a Jenkins workspace, perhaps on an agent), at most {@value #MAX_BYTES}
     * + 1 bytes of it: a huge file is refused without being read whole.
     *
     * @param source
     *         the file name, for messages
     * @param in
     *         the file's bytes; the caller closes it
     * @return the policy
     * @throws IOException
     *         if the stream cannot be read
     * @throws PolicyException
     *         naming the file, the field and the problem
     */
    public Policy read(final String source, final InputStream in) throws IOException {
        return parse(source, text(source, in));
    }

    /**
     * Reads a policy's text from a stream as {@link #read(String, InputStream)} does, for a host that amends it
     * before parsing (the freestyle form's fields).
     *
     * @param source
     *         the file name, for messages
     * @param in
     *         the file's bytes; the caller closes it
     * @return the text, UTF-8 decoded
     * @throws IOException
     *         if the stream cannot be read
     * @throws PolicyException
     *         if it is over {@value #MAX_BYTES} bytes or not UTF-8
     */
    public static String text(final String source, final InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw refuse(source, tooLarge(), null);
        }
        return decode(source, bytes);
    }

    private static String tooLarge() {
        return "the policy is larger than 1 MiB; a policy is a few kilobytes, so check that this is the policy file";
    }

    private static String decode(final String source, final byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            CharBuffer text = decoder.decode(in);
            return text.toString();
        }
        catch (MalformedInputException e) {
            throw refuse(source, "the file is not UTF-8 text (a bad byte near byte %d); save it as UTF-8 text"
                    .formatted(in.position() + 1), null);
        }
        catch (CharacterCodingException e) {
            throw refuse(source, "the file is not UTF-8 text; save it as UTF-8 text", null);
        }
    }

    /**
     * Parses policy text.
     *
     * @param source
     *         where the text came from, for messages; a name ending in {@code .json} selects strict JSON
     * @param text
     *         YAML or JSON
     * @return the policy
     * @throws PolicyException
     *         naming the source, the field and the problem
     */
    public Policy parse(final String source, final String text) {
        if (text == null || text.isBlank()) {
            throw refuse(source, "the policy is empty; it needs at least 'environment: NAME'", null);
        }
        if (text.length() > MAX_BYTES) {
            throw refuse(source, tooLarge(), null);
        }
        boolean json = source != null && source.toLowerCase(Locale.ROOT).endsWith(".json");
        ObjectMapper mapper = json ? JSON : YAML;
        if (scan(source, mapper.getFactory(), text, json) == 0) {
            throw refuse(source, "the policy is empty; it needs at least 'environment: NAME'", null);
        }
        Policy policy;
        try {
            policy = mapper.readValue(text, Policy.class);
        }
        catch (JsonMappingException e) {
            throw refuse(source, describe(e, mapper, text), e);
        }
        catch (JsonProcessingException e) {
            throw refuse(source, syntax(e, null, json), e);
        }
        catch (StackOverflowError e) { // nesting is bounded by scan; this is the last line of defence
            throw refuse(source, "the policy is nested too deeply; at most %d levels".formatted(MAX_DEPTH), null);
        }
        if (policy == null) {
            throw refuse(source, "the policy is empty; it needs at least 'environment: NAME'", null);
        }
        check(source, policy);
        if (defaults.isNone()) {
            return policy;
        }
        try {
            return layers(source, mapper, text).apply(policy, mapper);
        }
        catch (JsonProcessingException | IllegalArgumentException e) { // the ledger keeps policies so: never expected
            throw refuse(source, "the defaults of %s cannot be applied: %s".formatted(defaults.source(),
                    e.getMessage()), e);
        }
    }

    private static ObjectMapper mapperFor(final String source) {
        return source != null && source.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
    }

    /** @return what the policy's text gives, read again as a tree: the records hold the engine's defaults already */
    private AnalysisLayers layers(final String source, final ObjectMapper mapper, final String text) {
        try {
            return new AnalysisLayers(mapper.readTree(text), defaults);
        }
        catch (JsonProcessingException e) { // parse read it already
            throw refuse(source, syntax(e, null, mapper == JSON), e);
        }
    }

    /** @return the shared mapper, configured as for policy files (also writes YAML) */
    public ObjectMapper mapper() {
        return YAML;
    }

    /**
     * Reads every token once before anything is built, so a hostile file is refused by its structure alone:
     * duplicate keys, YAML tags, anchors and aliases, and nesting beyond {@link #MAX_DEPTH}. Tokens are pulled one at
     * a time, so a 100,000-deep file is refused at level {@value #MAX_DEPTH} without reading further.
     */
    private static int scan(final String source, final JsonFactory factory, final String text, final boolean json) {
        try (JsonParser parser = factory.createParser(text)) {
            int depth = 0;
            int tokens = 0;
            String lastTypeTag = null;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                tokens++;
                if (parser instanceof YAMLParser yaml) {
                    String where = path(parser.getParsingContext(), token) + " (line "
                            + parser.currentTokenLocation().getLineNr() + ")";
                    if (yaml.isCurrentAlias()) {
                        throw refuse(source, where + ": YAML aliases (*name) are not supported; write the value out", null);
                    }
                    if (yaml.getObjectId() != null) {
                        throw refuse(source, where + ": YAML anchors (&name) are not supported; remove the anchor", null);
                    }
                    String tag = yaml.getTypeId();
                    boolean typeTag = token == JsonToken.START_OBJECT && tag != null && TYPE_TAGS.contains(tag)
                            || token == JsonToken.FIELD_NAME && tag != null && tag.equals(lastTypeTag); // still the mapping's
                    lastTypeTag = token == JsonToken.START_OBJECT ? tag : null;
                    if (tag != null && !typeTag) {
                        throw refuse(source, where + ": YAML tags (!name, !!name) are not supported; remove the tag", null);
                    }
                }
                if (token.isStructStart() && ++depth > MAX_DEPTH) {
                    throw refuse(source, "%s (line %d): nested more than %d levels deep; a policy needs about six"
                            .formatted(path(parser.getParsingContext(), token), parser.currentTokenLocation().getLineNr(),
                                    MAX_DEPTH), null);
                }
                if (token.isStructEnd()) {
                    depth--;
                }
            }
            return tokens;
        }
        catch (PolicyException e) {
            throw e;
        }
        catch (JsonProcessingException e) {
            throw refuse(source, syntax(e, null, json), e);
        }
        catch (IOException e) { // reading a String does no I/O
            throw refuse(source, "the policy cannot be read", e);
        }
        catch (StackOverflowError e) {
            throw refuse(source, "the policy is nested too deeply; at most %d levels".formatted(MAX_DEPTH), null);
        }
    }

    /** Words a parser's complaint: the position, what is wrong without the quoted lines, and a hint where one helps. */
    private static String syntax(final JsonProcessingException e, final String path, final boolean json) {
        JsonLocation location = e.getLocation();
        String at = location == null ? "" : " at line %d, column %d".formatted(location.getLineNr(), location.getColumnNr());
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        Matcher duplicate = DUPLICATE.matcher(original);
        if (duplicate.find()) {
            return "the key '%s' is given twice%s; keep one of them".formatted(shorten(duplicate.group(1)), at);
        }
        if (e instanceof StreamConstraintsException) {
            if (original.contains("Number")) {
                return "a number%s is longer than 100 digits; give a shorter number".formatted(at);
            }
            if (original.contains("nesting")) {
                return "the policy%s is nested more than %d levels deep".formatted(at, MAX_DEPTH);
            }
            return "the policy%s exceeds the reader's limits (1 MiB, %d levels of nesting)".formatted(at, MAX_DEPTH);
        }
        if (e instanceof InputCoercionException) {
            return "a number%s is out of range; give a smaller whole number".formatted(at);
        }
        String text = withoutSnippets(original);
        if (original.contains("Expected a field name")) {
            text = "a key is not a plain name (a mapping or a list used as a key); write 'name: value'";
        }
        else if (CLASS_NAME.matcher(text).find()) { // the parser's words name its own classes: keep the position only
            text = "check the indentation, the quoting and the brackets there";
        }
        if (original.contains("block scalar") || original.contains("'>'")) {
            text += "; a threshold that starts with '>' must be quoted, e.g. failIf: \"> 5%\"";
        }
        else if (original.contains("special characters are not allowed") || original.contains("Illegal character")
                || original.contains("Invalid UTF-8")) {
            text = "the policy holds control characters or binary data; it must be plain text";
        }
        return "%s%s%s: %s".formatted(path == null ? "" : path + ": ",
                json ? "not valid JSON" : "not valid YAML", at, text);
    }

    /** Checks what the schema cannot express: thresholds that cannot judge, and percentages compared with latency. */
    private static void check(final String source, final Policy policy) {
        for (int i = 0; i < policy.probes().size(); i++) {
            ProbeSpec probe = policy.probes().get(i);
            checkThreshold(source, "probes[%d].failIf".formatted(i), probe, probe.failIf(), true);
            checkThreshold(source, "probes[%d].successIf".formatted(i), probe, probe.successIf(), false);
        }
    }

    private static void checkThreshold(final String source, final String field, final ProbeSpec probe,
            final String text, final boolean fail) {
        if (text == null || text.isBlank()) {
            return;
        }
        Condition condition;
        try {
            condition = ThresholdParser.parse(field, text);
        }
        catch (IllegalArgumentException e) { // the probe's record parsed it already; this is the last line of defence
            throw refuse(source, new Refusal(e.getMessage(), PolicyException.Kind.VALUE, field), e);
        }
        if (probe instanceof HttpProbeSpec http && (http.jsonPointer() == null || http.jsonPointer().isEmpty())
                && ThresholdParser.comparesPercent(text)) {
            throw refuse(source, new Refusal(("%s: '%s' compares a percentage, but this probe has no jsonPointer, so its"
                    + " value is the response time in milliseconds; give a jsonPointer to a ratio in the body, or a"
                    + " time such as '> 800'").formatted(field, shorten(text)), PolicyException.Kind.VALUE, field), null);
        }
        Boolean constant = constant(condition);
        boolean relative = false;
        if (constant == null) {
            constant = constantChange(condition);
            relative = constant != null;
        }
        if (constant != null) {
            String effect = fail ? (constant ? "every sample fails" : "it never trips")
                    : (constant ? "it never judges a sample bad" : "no sample ever passes");
            throw refuse(source, new Refusal("%s: '%s' holds for %s %s, so %s; check the numbers and the operators"
                    .formatted(field, shorten(text), constant ? "every" : "no",
                            relative ? "change from the baseline" : "value", effect), PolicyException.Kind.VALUE, field),
                    null);
        }
    }

    /**
     * Tells whether a condition without a baseline has the same truth for every value. The truth of comparisons
     * and ranges changes only at their limits, so testing each limit, the points between neighbouring limits and
     * one point beyond each end covers every value.
     *
     * @return true or false if it always or never holds, null if it depends on the value or on the baseline
     */
    static Boolean constant(final Condition condition) {
        List<Double> limits = new ArrayList<>();
        if (!limits(condition, limits)) {
            return null;
        }
        return sameEverywhere(condition, limits, java.util.OptionalDouble.empty());
    }

    /**
     * Tells whether a condition made of changes from the baseline only ({@code drop > 20% and drop < 10%}) has the
     * same truth for every value and baseline. Each change is a comparison of one number, the difference from the
     * baseline (relative for percentages, absolute otherwise); with one kind of difference throughout, testing it
     * with the baseline 1 covers every baseline. Mixed kinds, or changes mixed with plain comparisons, depend on the
     * baseline: null.
     *
     * @return true or false if it always or never holds, null otherwise
     */
    static Boolean constantChange(final Condition condition) {
        List<Condition.Change> changes = new ArrayList<>();
        if (!changes(condition, changes) || changes.stream().map(c -> c.unit() == Condition.Unit.PERCENT).distinct()
                .count() != 1) {
            return null;
        }
        List<Double> limits = changes.stream().map(c -> c.rise() ? 1 + c.amount() : 1 - c.amount()).toList();
        return sameEverywhere(condition, new ArrayList<>(limits), java.util.OptionalDouble.of(1));
    }

    private static boolean changes(final Condition condition, final List<Condition.Change> changes) {
        if (condition instanceof Condition.Change change) {
            changes.add(change);
            return true;
        }
        if (condition instanceof Condition.And and) {
            return changes(and.left(), changes) && changes(and.right(), changes);
        }
        if (condition instanceof Condition.Or or) {
            return changes(or.left(), changes) && changes(or.right(), changes);
        }
        return false;
    }

    /**
     * The truth of comparisons and ranges changes only at their limits, so testing each limit, the points between
     * neighbouring limits and one point beyond each end covers every value.
     */
    private static Boolean sameEverywhere(final Condition condition, final List<Double> limits,
                                          final java.util.OptionalDouble baseline) {
        limits.sort(Double::compare);
        List<Double> points = new ArrayList<>();
        for (int i = 0; i < limits.size(); i++) {
            double limit = limits.get(i);
            points.add(limit);
            if (i + 1 < limits.size() && limits.get(i + 1) > limit) {
                points.add(limit + (limits.get(i + 1) - limit) / 2);
            }
        }
        points.add(limits.get(0) - 1);
        points.add(limits.get(limits.size() - 1) + 1);
        Boolean seen = null;
        for (double point : points) {
            boolean value = condition.evaluate(point, baseline).isTrue();
            if (seen == null) {
                seen = value;
            }
            else if (seen != value) {
                return null;
            }
        }
        return seen;
    }

    private static boolean limits(final Condition condition, final List<Double> limits) {
        if (condition instanceof Condition.Comparison comparison) {
            limits.add(comparison.limit());
            return true;
        }
        if (condition instanceof Condition.Between between) {
            limits.add(between.low());
            limits.add(between.high());
            return true;
        }
        if (condition instanceof Condition.And and) {
            return limits(and.left(), limits) && limits(and.right(), limits);
        }
        if (condition instanceof Condition.Or or) {
            return limits(or.left(), limits) && limits(or.right(), limits);
        }
        return false; // a change from the baseline depends on the baseline
    }

    private static Refusal describe(final JsonMappingException e, final ObjectMapper mapper, final String text) {
        String path = path(e);
        String field = path.equals("(top level)") ? null : path;
        if (e instanceof UnrecognizedPropertyException unknown) {
            String name = unknown.getPropertyName();
            String near = nearest(name, unknown.getKnownPropertyIds());
            String at = field == null ? name : field;
            return new Refusal(near != null
                    ? "%s: unknown field '%s'; did you mean '%s'?".formatted(path, shorten(name), near)
                    : "%s: unknown field '%s'; known fields: %s".formatted(path, shorten(name),
                            known(unknown.getKnownPropertyIds())), PolicyException.Kind.UNKNOWN_FIELD, at);
        }
        if (e instanceof InvalidTypeIdException invalid) {
            String known = typeIds(invalid);
            String at = path.equals("(top level)") ? "type" : path + ".type";
            return invalid.getTypeId() == null || invalid.getTypeId().isEmpty()
                    ? new Refusal("%s: is required; give one of %s".formatted(at, known), PolicyException.Kind.MISSING_FIELD, at)
                    : new Refusal("%s: '%s' is not a known type; give one of %s".formatted(at, shorten(invalid.getTypeId()),
                            known), PolicyException.Kind.UNKNOWN_TYPE, at);
        }
        Refusal refusal = describeValue(e, path, field);
        String missing = missingRequired(e, mapper, text);
        // A record refuses a required field that is absent with its own words ("url: is required"): the message stays,
        // the kind says what the tree shows, so the kind never depends on how a record words its check.
        return missing == null ? refusal : new Refusal(refusal.problem(), PolicyException.Kind.MISSING_FIELD, missing);
    }

    private static Refusal describeValue(final JsonMappingException e, final String path, final String field) {
        Throwable root = rootCause(e);
        Throwable check = e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException
                && e.getCause() instanceof IllegalArgumentException ? e.getCause() : root;
        if (check instanceof IllegalArgumentException) { // a record's own validation: its message names the field
            // (the record's exception, not its cause: "url: not a valid URL" has the URI parser's exception under it)
            String message = String.valueOf(check.getMessage());
            return new Refusal(e.getPath().isEmpty() ? message : under(path, message), PolicyException.Kind.VALUE,
                    fieldOf(e, field, message));
        }
        if (root instanceof NullPointerException) { // List.copyOf and Map.copyOf refuse empty items
            return new Refusal(("%s: a list or mapping holds an empty item (a '-', '~' or key without a value); fill it in"
                    + " or remove it").formatted(path), PolicyException.Kind.WRONG_TYPE, field);
        }
        if (e instanceof InvalidFormatException invalid) {
            Class<?> target = invalid.getTargetType();
            if (target == Boolean.class || target == boolean.class) {
                return new Refusal((invalid.getValue() instanceof String
                        ? "%s: '%s' is text, not a boolean; write true or false without quotes"
                        : "%s: '%s' is not a boolean; write true or false").formatted(path,
                        shorten(String.valueOf(invalid.getValue()))), PolicyException.Kind.WRONG_TYPE, field);
            }
            return new Refusal("%s: '%s' is not a valid %s".formatted(path, shorten(String.valueOf(invalid.getValue())),
                    typeName(target)), target != null && target.isEnum() ? PolicyException.Kind.BAD_ENUM
                    : PolicyException.Kind.WRONG_TYPE, field);
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return new Refusal("%s: expected %s".formatted(path, article(typeName(mismatched.getTargetType()))),
                    PolicyException.Kind.WRONG_TYPE, field);
        }
        if (root instanceof InputCoercionException || root instanceof StreamConstraintsException) {
            return new Refusal("%s: the number is too large; give a smaller one".formatted(path),
                    PolicyException.Kind.VALUE, field);
        }
        // What is left is databind failing to bind a value to the field's type, without a record's check.
        String original = String.valueOf(e.getOriginalMessage());
        if (original.contains("`") || CLASS_NAME.matcher(original).find()) {
            return new Refusal("%s: this value does not fit the field; see docs/policy.md for what it takes".formatted(path),
                    PolicyException.Kind.WRONG_TYPE, field);
        }
        return new Refusal(path + ": " + withoutSnippets(original), PolicyException.Kind.WRONG_TYPE, field);
    }

    /**
     * Puts a value's own message under the path of the value: "environment" and "environment: '../etc' is not a valid
     * name" make "environment: '../etc' ...", not the field twice.
     */
    private static String under(final String path, final String message) {
        String last = path.substring(Math.max(path.lastIndexOf('.'), path.lastIndexOf(']')) + 1);
        return !last.isEmpty() && (message.startsWith(last + ": ") || message.startsWith(last + ".")
                || message.startsWith(last + "["))
                ? path.substring(0, path.length() - last.length()) + message : path + ": " + message;
    }

    private static final Pattern LEADING_FIELD = Pattern.compile("^([A-Za-z][\\w.\\[\\]]*): ");

    /** @return the path of the field a record's message names ("analysis.interval: ...") under the record's path */
    private static String fieldOf(final JsonMappingException e, final String path, final String message) {
        Matcher lead = LEADING_FIELD.matcher(message);
        if (!lead.find()) {
            return path;
        }
        String named = lead.group(1);
        Class<?> record = e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException built
                && built.getType() != null ? built.getType().getRawClass() : null;
        int dot = named.indexOf('.');
        if (record != null && record.isRecord() && dot > 0) { // a probe names itself first: "page-load.failIf"
            java.util.Set<String> components = java.util.Arrays.stream(record.getRecordComponents())
                    .map(java.lang.reflect.RecordComponent::getName).collect(Collectors.toSet());
            String rest = named.substring(dot + 1).split("[.\\[]")[0];
            if (!components.contains(named.substring(0, dot)) && components.contains(rest)) {
                named = named.substring(dot + 1);
            }
        }
        if (path == null) {
            return named;
        }
        String last = path.substring(Math.max(path.lastIndexOf('.'), path.lastIndexOf(']')) + 1);
        return named.equals(last) || named.startsWith(last + ".") || named.startsWith(last + "[")
                ? path.substring(0, path.length() - last.length()) + named : path + "." + named;
    }

    /**
     * The components whose absence the records refuse; everything else has a default. The schema's {@code required}
     * lists are these (PolicySchema), and a refusal of a mapping that lacks one of them is {@code MISSING_FIELD}.
     */
    static final Map<Class<?>, java.util.Set<String>> REQUIRED = Map.ofEntries(
            Map.entry(Policy.class, java.util.Set.of("environment")),
            Map.entry(HttpProbeSpec.class, java.util.Set.of("name", "url")),
            Map.entry(io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec.class,
                    java.util.Set.of("name", "url")), // query: not for a rate probe, which has analysis.events
            Map.entry(io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec.class,
                    java.util.Set.of("name", "command")),
            Map.entry(io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings.Window.class,
                    java.util.Set.of("n", "m")),
            Map.entry(HooksSpec.HookCommand.class, java.util.Set.of("command")),
            Map.entry(NotificationSpec.class, java.util.Set.of("url")),
            Map.entry(io.jenkins.plugins.rollbackguard.engine.backup.FilesBackupSpec.class, java.util.Set.of("path")),
            Map.entry(io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec.class,
                    java.util.Set.of("host", "database", "user")),
            Map.entry(io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec.class,
                    java.util.Set.of("host", "database", "user")),
            Map.entry(io.jenkins.plugins.rollbackguard.engine.backup.CommandBackupSpec.class,
                    java.util.Set.of("command")));

    /**
     * Looks in the text's tree for the mapping a record refused to be built from: if a field it requires is absent or
     * null there, that is the refusal.
     *
     * @return the path of the absent field, or null
     */
    private static String missingRequired(final JsonMappingException e, final ObjectMapper mapper, final String text) {
        if (!(e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException instantiation)
                || instantiation.getType() == null) {
            return null;
        }
        java.util.Set<String> required = REQUIRED.get(instantiation.getType().getRawClass());
        if (required == null) {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = mapper.readTree(text); // refusals only: an accepted policy is read once
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (node == null) {
                return null;
            }
            node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        String path = path(e);
        for (String name : required.stream().sorted().toList()) {
            if (!node.hasNonNull(name)) {
                return path.equals("(top level)") ? name : path + "." + name;
            }
        }
        return null;
    }

    private static String typeIds(final InvalidTypeIdException e) {
        com.fasterxml.jackson.annotation.JsonSubTypes subtypes = e.getBaseType() == null ? null
                : e.getBaseType().getRawClass().getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class);
        if (subtypes != null) {
            return java.util.Arrays.stream(subtypes.value()).map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::name)
                    .sorted().collect(Collectors.joining(", "));
        }
        Matcher ids = TYPE_IDS.matcher(String.valueOf(e.getOriginalMessage()));
        return ids.find() ? ids.group(1) : "the types in docs/policy.md";
    }

    private static String article(final String type) {
        return type.startsWith("an ") || type.startsWith("a ") ? type : "a " + type;
    }

    /**
     * Finds the known field closest to a misspelt one: the same ignoring case, or at most a third of its letters
     * apart (Levenshtein).
     */
    static String nearest(final String name, final Collection<Object> known) {
        if (name == null || known == null || name.length() > 64) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Object id : known) {
            String candidate = String.valueOf(id);
            int distance = candidate.equalsIgnoreCase(name) ? 0 : levenshtein(name.toLowerCase(Locale.ROOT),
                    candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(1, name.length() / 3) ? best : null;
    }

    static int levenshtein(final String a, final String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
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
        if (message == null) {
            return "";
        }
        if (message.indexOf('\n') < 0) {
            return message;
        }
        StringBuilder text = new StringBuilder();
        for (String line : message.split("\n")) {
            Matcher mark = MARK.matcher(line);
            if (mark.matches()) {
                text.append(" (line ").append(mark.group(1)).append(", column ").append(mark.group(2)).append(')');
            }
            else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith(" at [Source")) {
                text.append(text.length() == 0 ? "" : "; ").append(line.strip());
            }
        }
        return text.toString();
    }

    /**
     * Makes the refusal: one line, the source first, values over {@value #MAX_VALUE} characters shortened, no
     * Java class names and no {@code 'null'}.
     */
    private static PolicyException refuse(final String source, final String problem, final Throwable cause) {
        return refuse(source, new Refusal(problem, PolicyException.Kind.TEXT, null), cause);
    }

    private static PolicyException refuse(final String source, final Refusal refusal, final Throwable cause) {
        return new PolicyException(clean((source == null ? "policy" : source) + ": " + refusal.problem()), cause,
                refusal.kind(), refusal.field());
    }

    /** What is wrong, the stage that found it and the field's path (null for the text as a whole). */
    private record Refusal(String problem, PolicyException.Kind kind, String field) {
    }

    static String clean(final String message) {
        StringBuilder line = new StringBuilder(Math.min(message.length(), MAX_MESSAGE * 2));
        message.codePoints().forEach(c -> {
            if (c == '\n' || c == '\r' || c == '\t') {
                line.append(' ');
            }
            else if (Character.isISOControl(c) || c == 0xFFFD) {
                line.append('?');
            }
            else {
                line.appendCodePoint(c);
            }
        });
        String text = line.toString();
        text = shortenQuoted(text);
        text = LONG_WORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(shorten(m.group())));
        text = text.replace(", got 'null'", "").replace("'null'", "nothing").replace("=null", "=nothing");
        text = CLASS_NAME.matcher(text).replaceAll(m -> m.group().startsWith("`")
                ? Matcher.quoteReplacement(m.group(1)) : Matcher.quoteReplacement(m.group()));
        if (text.length() > MAX_MESSAGE) {
            text = text.substring(0, MAX_MESSAGE - 1) + "…";
        }
        return text;
    }

    /** Shortens every quoted value over the limit; quotes pair up from the left, as the messages write them. */
    private static String shortenQuoted(final String text) {
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (true) {
            int open = text.indexOf('\'', from);
            int close = open < 0 ? -1 : text.indexOf('\'', open + 1);
            if (close < 0) {
                out.append(text, from, text.length());
                return out.toString();
            }
            out.append(text, from, open + 1).append(shorten(text.substring(open + 1, close))).append('\'');
            from = close + 1;
        }
    }

    /** @return the value, or its first {@value #SHOWN} characters and its length if it is longer than {@value #MAX_VALUE} */
    static String shorten(final String value) {
        if (value == null || value.length() <= MAX_VALUE) {
            return value;
        }
        return value.substring(0, SHOWN) + "… (" + value.length() + " characters)";
    }

    private static String path(final JsonStreamContext context, final JsonToken token) {
        List<String> parts = new ArrayList<>();
        JsonStreamContext at = token.isStructStart() ? context.getParent() : context;
        for (; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inObject()) {
                parts.add(0, at.getCurrentName() == null ? "" : "." + shorten(at.getCurrentName()));
            }
            else if (at.inArray()) {
                parts.add(0, "[" + Math.max(0, at.getCurrentIndex()) + "]");
            }
        }
        String path = String.join("", parts);
        path = path.startsWith(".") ? path.substring(1) : path;
        return path.isEmpty() ? "(top level)" : path;
    }

    private static String path(final JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(shorten(ref.getFieldName()));
            }
            else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "(top level)" : path.toString();
    }

    private static String known(final Collection<Object> ids) {
        return ids == null ? "see docs/policy.md"
                : ids.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
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
        if (type == Double.class || type == double.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean (true or false)";
        }
        if (type == String.class) {
            return "text";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "mapping of names to texts";
        }
        if (type == io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName.class) {
            return "an environment name";
        }
        return "mapping (field: value)";
    }

    private static Throwable rootCause(final Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
