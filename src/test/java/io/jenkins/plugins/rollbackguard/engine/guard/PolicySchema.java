package io.jenkins.plugins.rollbackguard.engine.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaKeyword;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;

import io.jenkins.plugins.rollbackguard.engine.backup.CommandBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.FilesBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;

/**
 * Generates docs/policy.schema.json from the policy's model ({@link Policy} and the records it holds) with the victools
 * generator and its Jackson module, which read the records as {@link PolicyReader}'s mapper does: the same property
 * names, the {@code type} of probes and backups, {@code @JsonValue} enums. What the records do not say in a form the
 * generator reads is bridged here, in one place each:
 * <ul>
 * <li>descriptions: the {@code @param} text of each record's Javadoc, read from its source, so the schema says what
 *     the code's documentation says (a component without one fails {@link #generate});</li>
 * <li>required fields: {@link #REQUIRED}, the components whose absence the records refuse (a test proves each);</li>
 * <li>text fields take any scalar, as the reader turns {@code 200} or {@code true} into text
 *     ({@code expectStatus: 200}, {@code command: [sleep, 5]});</li>
 * <li>every field but a required one may be null ({@code cooldown: ~}): the reader then keeps the default;</li>
 * <li>the policy's own enums are written in lower case, as the docs write them (the reader ignores case);</li>
 * <li>the environment name takes the pattern of {@link EnvironmentName}.</li>
 * </ul>
 * Run {@link #main} (see {@link PolicySchemaTest}) to write the file again after a change of the model.
 */
public final class PolicySchema {
    /** Where the schema is published, relative to the project root. */
    public static final String FILE = "docs/policy.schema.json";

    /** The components whose absence the records refuse (the reader's list, which also classifies its refusals). */
    static final Map<Class<?>, Set<String>> REQUIRED = PolicyReader.REQUIRED;

    private static final Pattern PARAM = Pattern.compile("(?<!\\{)@param\\s+(\\w+)\\s+(.*?)(?=(?<!\\{)@\\w+\\b|\\z)",
            Pattern.DOTALL);

    private final Path sources;
    private final Map<Class<?>, Map<String, String>> javadoc = new LinkedHashMap<>();

    /**
     * Creates a generator reading descriptions from the sources under a project root.
     *
     * @param root
     *         the directory holding src/main/java
     */
    public PolicySchema(final Path root) {
        this.sources = root.resolve("src/main/java");
    }

    /**
     * Writes the schema to {@value #FILE}.
     *
     * @param args
     *         the project root (default: the working directory)
     * @throws IOException
     *         if the file cannot be written
     */
    public static void main(final String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Files.writeString(root.resolve(FILE), new PolicySchema(root).text(), StandardCharsets.UTF_8);
        System.out.println("wrote " + root.resolve(FILE));
    }

    /** @return the schema as the committed file holds it: two-space indents, a newline at the end */
    public String text() {
        ObjectMapper mapper = JsonMapper.builder().build();
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return mapper.writer(printer).writeValueAsString(generate()) + "\n";
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the schema */
    public ObjectNode generate() {
        // The type of a probe or backup goes into each kind's own properties (typeProperty): the module's allOf of
        // the kind and its type would meet additionalProperties: false, which refuses the type.
        JacksonModule jackson = new JacksonModule(JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE,
                JacksonOption.FLATTENED_ENUMS_FROM_JSONPROPERTY, JacksonOption.IGNORE_TYPE_INFO_TRANSFORM);
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(jackson)
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.NULLABLE_FIELDS_BY_DEFAULT,
                        Option.DEFINITIONS_FOR_ALL_OBJECTS, Option.PLAIN_DEFINITION_KEYS,
                        Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        config.forFields()
                .withRequiredCheck(PolicySchema::required)
                .withNullableCheck(field -> !required(field))
                .withDescriptionResolver(this::describe);
        config.forTypesInGeneral()
                .withTypeAttributeOverride((node, scope, context) -> typeProperty(node, scope.getType().getErasedType()))
                .withDescriptionResolver(scope -> classDescription(scope.getType().getErasedType()))
                .withCustomDefinitionProvider((type, context) -> {
                    Class<?> raw = type.getErasedType();
                    if (raw == String.class) { // the reader reads any scalar as text
                        ObjectNode text = context.getGeneratorConfig().createObjectNode();
                        text.putArray(context.getKeyword(SchemaKeyword.TAG_TYPE)).add("string").add("number").add("boolean");
                        return new com.github.victools.jsonschema.generator.CustomDefinition(text,
                                com.github.victools.jsonschema.generator.CustomDefinition.DefinitionType.INLINE,
                                com.github.victools.jsonschema.generator.CustomDefinition.AttributeInclusion.YES);
                    }
                    if (raw == EnvironmentName.class) {
                        ObjectNode name = context.getGeneratorConfig().createObjectNode();
                        name.put(context.getKeyword(SchemaKeyword.TAG_TYPE), "string");
                        name.put(context.getKeyword(SchemaKeyword.TAG_PATTERN), "^" + environmentPattern() + "$");
                        return new com.github.victools.jsonschema.generator.CustomDefinition(name,
                                com.github.victools.jsonschema.generator.CustomDefinition.DefinitionType.INLINE,
                                com.github.victools.jsonschema.generator.CustomDefinition.AttributeInclusion.YES);
                    }
                    if (raw.isEnum() && raw.getEnclosingClass() == Policy.class) {
                        ObjectNode values = context.getGeneratorConfig().createObjectNode();
                        values.put(context.getKeyword(SchemaKeyword.TAG_TYPE), "string");
                        var list = values.putArray(context.getKeyword(SchemaKeyword.TAG_ENUM));
                        for (Object constant : raw.getEnumConstants()) {
                            list.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
                        }
                        return new com.github.victools.jsonschema.generator.CustomDefinition(values,
                                com.github.victools.jsonschema.generator.CustomDefinition.DefinitionType.INLINE,
                                com.github.victools.jsonschema.generator.CustomDefinition.AttributeInclusion.YES);
                    }
                    return null;
                });
        ObjectNode schema = new SchemaGenerator(config.build()).generateSchema(Policy.class);
        ObjectNode root = JsonMapper.builder().build().createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("title", "rollback-guard policy");
        root.put("description", schema.remove("description").asText() + " See docs/policy.md. Generated from the"
                + " engine's model by PolicySchemaTest; do not edit. The reader checks more than this schema: thresholds,"
                + " durations, URLs, secret names and the range of each number.");
        root.setAll(schema);
        return root;
    }

    /** Adds {@code type: {const: <name>}} to a probe's or backup's kind, as {@code @JsonSubTypes} names it. */
    private static void typeProperty(final ObjectNode node, final Class<?> type) {
        for (Class<?> base : List.of(io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec.class,
                io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec.class)) {
            if (base == type || !base.isAssignableFrom(type)) {
                continue;
            }
            for (JsonSubTypes.Type kind : base.getAnnotation(JsonSubTypes.class).value()) {
                if (kind.value() == type) {
                    ObjectNode properties = node.has("properties") ? (ObjectNode) node.get("properties")
                            : node.putObject("properties");
                    ObjectNode typeNode = properties.putObject("type");
                    typeNode.put("const", kind.name());
                    typeNode.put("description", "the kind: " + String.join(", ", java.util.Arrays.stream(
                            base.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name).toList()));
                    var required = node.has("required") ? (com.fasterxml.jackson.databind.node.ArrayNode) node.get("required")
                            : node.putArray("required");
                    required.insert(0, "type");
                }
            }
        }
    }

    private static boolean required(final FieldScope field) {
        Class<?> owner = field.getDeclaringType().getErasedType();
        return REQUIRED.getOrDefault(owner, Set.of()).contains(field.getName());
    }

    private String describe(final FieldScope field) {
        if (field.isFakeContainerItemScope()) {
            return null;
        }
        Class<?> owner = field.getDeclaringType().getErasedType();
        String text = params(owner).get(field.getName());
        if (text == null) {
            throw new IllegalStateException("%s.%s has no @param in its Javadoc: the schema takes its description from there"
                    .formatted(owner.getSimpleName(), field.getName()));
        }
        return text;
    }

    private String classDescription(final Class<?> type) {
        if (!type.isRecord() && !type.isInterface() || !type.getName().startsWith("io.jenkins.plugins.rollbackguard")) {
            return null;
        }
        String doc = javadocOf(type);
        if (doc == null) {
            return null;
        }
        String lead = doc.split("(?<!\\{)@\\w+")[0];
        String text = clean(lead);
        int stop = text.indexOf(". ");
        return stop < 0 ? text : text.substring(0, stop + 1);
    }

    private Map<String, String> params(final Class<?> type) {
        return javadoc.computeIfAbsent(type, t -> {
            Map<String, String> params = new LinkedHashMap<>();
            String doc = javadocOf(t);
            if (doc != null) {
                Matcher param = PARAM.matcher(doc);
                while (param.find()) {
                    params.put(param.group(1), clean(param.group(2)));
                }
            }
            return params;
        });
    }

    /** @return the Javadoc comment right before the declaration of a record or interface, without its stars */
    private String javadocOf(final Class<?> type) {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        Path file = sources.resolve(top.getName().replace('.', '/') + ".java");
        String source;
        try {
            source = Files.readString(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("the source of " + type.getName() + " is needed for its descriptions", e);
        }
        Matcher declaration = Pattern.compile("\\b(?:record|interface)\\s+" + type.getSimpleName() + "\\b").matcher(source);
        if (!declaration.find()) {
            return null;
        }
        int end = source.lastIndexOf("*/", declaration.start());
        int start = end < 0 ? -1 : source.lastIndexOf("/**", end);
        if (start < 0) {
            return null;
        }
        String between = source.substring(end + 2, declaration.start());
        if (between.contains(";") || between.contains("}")) { // the comment belongs to something before it
            return null;
        }
        return source.substring(start + 3, end).replaceAll("(?m)^\\s*\\*", " ");
    }

    /** Turns Javadoc into plain text: {@code {@code x}} and {@code {@link X}} become x, whitespace collapses. */
    static String clean(final String javadoc) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < javadoc.length()) {
            if (javadoc.startsWith("{@", i)) {
                int space = i + 2;
                while (space < javadoc.length() && Character.isLetter(javadoc.charAt(space))) {
                    space++;
                }
                int depth = 1;
                int j = space;
                while (j < javadoc.length() && depth > 0) {
                    char c = javadoc.charAt(j);
                    depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                    j++;
                }
                String inner = javadoc.substring(space, Math.max(space, j - 1)).strip();
                boolean link = javadoc.startsWith("link", i + 2);
                if (link && inner.contains("#")) {
                    inner = inner.substring(inner.indexOf('#') + 1);
                }
                out.append(link ? inner.substring(inner.lastIndexOf('.') + 1) : inner);
                i = j;
            }
            else {
                out.append(javadoc.charAt(i++));
            }
        }
        return out.toString().replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").strip();
    }

    private static String environmentPattern() {
        try {
            Field valid = EnvironmentName.class.getDeclaredField("VALID");
            valid.setAccessible(true);
            return ((Pattern) valid.get(null)).pattern();
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException("EnvironmentName.VALID is the pattern the schema copies", e);
        }
    }

    /**
     * Reads the schema file.
     *
     * @param root
     *         the project root
     * @return the committed schema
     * @throws IOException
     *         if it cannot be read
     */
    static JsonNode committed(final Path root) throws IOException {
        return JsonMapper.builder().build().readTree(root.resolve(FILE).toFile());
    }

    static List<String> requiredOf(final Class<?> type) {
        return REQUIRED.getOrDefault(type, Set.of()).stream().sorted().toList();
    }
}
