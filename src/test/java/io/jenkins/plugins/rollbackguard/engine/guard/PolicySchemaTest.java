package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * docs/policy.schema.json is what {@link PolicySchema} generates from the model, and it agrees with
 * {@link PolicyReader} on structure: every policy the reader accepts (the docs' examples, the policies of the tests,
 * the fuzzer's mutations) is valid, and every policy the reader refuses for its structure is invalid. The reader's
 * refusal says its {@link PolicyException.Kind} (which stage refused), so nothing here sorts messages by their words:
 * a structural kind (unknown field, unknown type, wrong type, bad enum value, missing required field) must be refused
 * by the schema; a {@code VALUE} refusal must be of a field in {@link #LEFT_TO_THE_READER}, the checks a schema of
 * the model does not express, each with its reason; a {@code TEXT} refusal is of text that is not yet a tree.
 */
class PolicySchemaTest {
    /** Regenerate the file with {@code -Dpolicy.schema.write=true}. */
    private static final String WRITE = "policy.schema.write";
    private static final String REGENERATE = "mvn -f cli/pom.xml test -Dtest=PolicySchemaTest -D" + WRITE + "=true";

    private static final String TEXT = "the text is not a policy document (YAML or JSON syntax, size, encoding, nothing in"
            + " it) or uses what a parsed tree no longer shows (duplicate keys, tags, anchors, aliases, depth): refused"
            + " before there is a tree to validate";
    private static final String THRESHOLD = "thresholds have their own language (docs/health.md), parsed and checked for"
            + " sense (never or always true, a percentage of a latency) by the reader";
    private static final String DURATION = "durations are text in their own grammar (30s, 1h30m) with a positive value";
    private static final String RANGE = "the range of a number (at least 0 or 1, a window's n <= m, fits in 32 bits):"
            + " the model's records check it, the generated schema has no bounds";
    private static final String URL = "URLs and hosts: parsed (http or https, a host, no credentials in them)";
    private static final String SECRET = "names of secrets and variables: the secret-name rules of docs/policy.md";
    private static final String NONEMPTY = "a required text given empty, or a list given empty where it needs an item:"
            + " the schema says the type, the record says it must hold something";
    private static final String PATTERN = "regular expressions, JSON pointers, globs and paths: compiled or checked";
    private static final String ONE_OF = "one of two fields, or both of a pair (evidence, dataVersion, auth)";
    private static final String UNIQUE = "probe names used twice: uniqueness of a field across list items";
    private static final String JUDGE = "the statistical judges' settings (docs/health.md): which judge reads which"
            + " field (events and trials only with judge: sequential, both or neither), an effect's short grammar"
            + " (rise > 50%), a probability strictly between 0 and 0.5, JSON pointers for HTTP and command probes";
    private static final String TEXT_SET = "value sets written as text (expectStatus 2xx, redirects, aggregation,"
            + " onError): text fields whose words the record checks";

    /**
     * The reader's {@code VALUE} refusals the schema leaves to it: the name of the field refused (its last name in
     * the path, without indexes) and why the schema does not say it. A {@code VALUE} refusal of another field fails
     * the comparison: either the schema should express the check, or the reason belongs here.
     */
    /** Maps whose keys are environment variables: a refusal names the variable after the map's field. */
    static final Set<String> SECRET_MAPS = Set.of("secretEnvironment", "deploySecretEnvironment");

    static final Map<String, String> LEFT_TO_THE_READER = Map.ofEntries(
            Map.entry("failIf", THRESHOLD), Map.entry("successIf", THRESHOLD),
            Map.entry("interval", DURATION), Map.entry("duration", DURATION), Map.entry("timeout", DURATION),
            Map.entry("initialDelay", DURATION), Map.entry("cooldown", DURATION), Map.entry("lockTimeout", DURATION),
            Map.entry("deployTimeout", DURATION), Map.entry("reachTimeout", DURATION),
            Map.entry("keepGood", RANGE), Map.entry("keepBackups", RANGE), Map.entry("count", RANGE),
            Map.entry("failureLimit", RANGE), Map.entry("baselineSamples", RANGE), Map.entry("window", RANGE),
            Map.entry("consecutiveErrorLimit", RANGE), Map.entry("n", RANGE), Map.entry("m", RANGE),
            Map.entry("url", URL), Map.entry("host", URL), Map.entry("port", RANGE),
            Map.entry("bearerSecret", SECRET), Map.entry("passwordSecret", SECRET), Map.entry("tokenSecret", SECRET),
            Map.entry("secretEnvironment", SECRET), Map.entry("deploySecretEnvironment", SECRET),
            Map.entry("usernameSecret", SECRET), Map.entry("auth", ONE_OF),
            Map.entry("name", NONEMPTY), Map.entry("query", NONEMPTY), Map.entry("command", NONEMPTY),
            Map.entry("database", NONEMPTY), Map.entry("user", NONEMPTY), Map.entry("publicParameters", NONEMPTY),
            Map.entry("environment", "the environment name: the schema has its pattern; the reader says which rule"
                    + " a name breaks"),
            Map.entry("jsonPointer", PATTERN), Map.entry("valuePattern", PATTERN), Map.entry("bodyMatch", PATTERN),
            Map.entry("path", PATTERN), Map.entry("include", PATTERN), Map.entry("exclude", PATTERN),
            Map.entry("binDir", PATTERN), Map.entry("dumpProgram", PATTERN), Map.entry("clientProgram", PATTERN),
            Map.entry("evidence", ONE_OF), Map.entry("dataVersion", ONE_OF), Map.entry("probes", UNIQUE),
            Map.entry("expectStatus", TEXT_SET), Map.entry("redirects", TEXT_SET), Map.entry("aggregation", TEXT_SET),
            Map.entry("onError", TEXT_SET), Map.entry("onNoData", TEXT_SET),
            Map.entry("judge", JUDGE), Map.entry("effect", JUDGE), Map.entry("alpha", JUDGE), Map.entry("beta", JUDGE),
            Map.entry("allowedRate", JUDGE), Map.entry("events", JUDGE), Map.entry("trials", JUDGE),
            Map.entry("counters", JUDGE), Map.entry("baselineWindow", "a duration read only by judge: sequential "
                    + "with counters: true on a Prometheus probe: the settings together and the probe's type decide"));

    @Test
    void shouldPublishTheSchemaTheModelGenerates() throws IOException {
        Path root = PolicyReaderFuzzTest.projectRoot();
        String generated = new PolicySchema(root).text();
        Path file = root.resolve(PolicySchema.FILE);
        if (Boolean.getBoolean(WRITE)) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.isRegularFile(file)).as("%s exists; write it with %s", PolicySchema.FILE, REGENERATE).isTrue();
        assertThat(Files.readString(file))
                .as("%s differs from what the model generates; regenerate it with %s and commit it", PolicySchema.FILE,
                        REGENERATE)
                .isEqualTo(generated);
    }

    @Test
    void shouldDescribeEveryField() {
        List<String> undescribed = new ArrayList<>();
        walk(new PolicySchema(PolicyReaderFuzzTest.projectRoot()).generate(), "", undescribed);
        assertThat(undescribed).as("fields without a description").isEmpty();
    }

    private static void walk(final JsonNode node, final String at, final List<String> undescribed) {
        JsonNode properties = node.get("properties");
        if (properties != null) {
            properties.fields().forEachRemaining(p -> {
                if (!p.getValue().hasNonNull("description") || p.getValue().get("description").asText().isBlank()) {
                    undescribed.add(at + "." + p.getKey());
                }
            });
        }
        node.fields().forEachRemaining(child -> {
            if (child.getValue().isObject() || child.getValue().isArray()) {
                walk(child.getValue(), at + "/" + child.getKey(), undescribed);
            }
        });
        if (node.isArray()) {
            node.forEach(item -> walk(item, at + "[]", undescribed));
        }
    }

    @Test
    void shouldRequireWhatTheReaderRequiresAndNothingElse() throws IOException {
        // Only the required fields of each kind: the reader accepting it proves every other field optional.
        String minimal = """
                environment: prod
                probes:
                  - {type: http, name: h, url: 'http://shop.example.com/'}
                  - {type: prometheus, name: p, url: 'http://prometheus:9090', query: up}
                  - {type: command, name: c, command: ['true'], analysis: {window: {n: 1, m: 2}}}
                backups:
                  - {type: files, path: /srv/shop}
                  - {type: postgres, host: db, database: shop, user: shop}
                  - {type: mysql, host: db, database: shop, user: shop}
                  - {type: command, command: [dump, '{output}']}
                hooks: {beforeRevert: [{command: [pause-sync]}]}
                notifications: [{url: 'http://hooks.example.com/'}]
                """;
        PolicyReader reader = new PolicyReader();
        assertThat(refusal(reader, minimal)).as("the reader on the minimal policy").isNull();
        assertThat(SchemaCheck.errors(minimal, "minimal.yaml")).as("the schema on the minimal policy").isEmpty();

        Map<Class<?>, String> where = new LinkedHashMap<>();
        where.put(Policy.class, "");
        where.put(io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec.class, "/probes/0");
        where.put(io.jenkins.plugins.rollbackguard.engine.health.PrometheusProbeSpec.class, "/probes/1");
        where.put(io.jenkins.plugins.rollbackguard.engine.health.CommandProbeSpec.class, "/probes/2");
        where.put(io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings.Window.class, "/probes/2/analysis/window");
        where.put(io.jenkins.plugins.rollbackguard.engine.backup.FilesBackupSpec.class, "/backups/0");
        where.put(io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec.class, "/backups/1");
        where.put(io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec.class, "/backups/2");
        where.put(io.jenkins.plugins.rollbackguard.engine.backup.CommandBackupSpec.class, "/backups/3");
        where.put(HooksSpec.HookCommand.class, "/hooks/beforeRevert/0");
        where.put(NotificationSpec.class, "/notifications/0");
        assertThat(where.keySet()).as("a place in the minimal policy for each kind with required fields")
                .containsExactlyInAnyOrderElementsOf(PolicySchema.REQUIRED.keySet());

        JsonNode tree = SchemaParsing.tree(minimal, "minimal.yaml");
        List<String> cuts = new ArrayList<>();
        PolicySchema.REQUIRED.forEach((type, fields) -> fields.forEach(field -> cuts.add(where.get(type) + "/" + field)));
        for (String kind : List.of("/probes/0", "/probes/1", "/probes/2", "/backups/0", "/backups/1", "/backups/2",
                "/backups/3")) {
            cuts.add(kind + "/type");
        }
        for (String cut : cuts) {
            JsonNode copy = tree.deepCopy();
            String parent = cut.substring(0, cut.lastIndexOf('/'));
            String field = cut.substring(cut.lastIndexOf('/') + 1);
            JsonNode owner = parent.isEmpty() ? copy : copy.at(parent);
            assertThat(owner.has(field)).as("%s is in the minimal policy", cut).isTrue();
            ((ObjectNode) owner).remove(field);
            String text = reader.mapper().writeValueAsString(copy);
            assertThat(refusal(reader, text)).as("the reader, without %s", cut).isNotNull();
            assertThat(SchemaCheck.errors(text, "minimal.yaml")).as("the schema, without %s", cut).isNotEmpty();
        }
    }

    @Test
    void shouldValidateEveryPolicyOfTheDocsAndTheTests() throws IOException {
        Path root = PolicyReaderFuzzTest.projectRoot();
        List<String> examples = PolicyFuzzProcess.examples(root);
        assertThat(examples).as("the docs' policy examples").hasSizeGreaterThanOrEqualTo(5);
        PolicyReader reader = new PolicyReader();
        for (String example : examples) {
            assertThat(refusal(reader, example)).as("the reader on a docs example:%n%s", example).isNull();
            assertThat(SchemaCheck.errors(example, "example.yaml")).as("the schema on a docs example:%n%s", example).isEmpty();
        }
        List<String> policies = testPolicies(root);
        assertThat(policies).as("the policies written in the tests").hasSizeGreaterThanOrEqualTo(5);
        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (String policy : policies) {
            String disagreement = compare(reader, "test.yaml", policy, outcomes);
            if (disagreement != null) {
                disagreements.add(disagreement);
            }
        }
        System.out.printf("policies in the tests: %d, by outcome: %s%n", policies.size(), outcomes);
        // many of the tests' policies are refusals on purpose (or hold placeholders): the point is the agreement
        assertThat(outcomes.getOrDefault("accepted", 0)).as("the tests' policies the reader accepts")
                .isGreaterThanOrEqualTo(Math.max(5, policies.size() / 2));
        assertThat(disagreements).as("the schema and the reader disagree").isEmpty();
    }

    @Test
    void shouldRefuseEveryStructuralRefusalOfTheFuzzerAndAcceptWhatTheReaderAccepts() throws IOException {
        List<String> examples = PolicyFuzzProcess.examples(PolicyReaderFuzzTest.projectRoot());
        PolicyReader reader = new PolicyReader();
        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        int compared = 0;
        for (PolicyFuzzProcess.Case c : PolicyFuzzProcess.mutations(examples, 20_261_202L, 1_500)) {
            if (c.text().length() > 200_000) {
                continue; // the very long values only test the reader's limits
            }
            compared++;
            String disagreement = compare(reader, c.source(), c.text(), outcomes);
            if (disagreement != null) {
                disagreements.add(c.kind() + ": " + disagreement);
            }
        }
        System.out.println("fuzzer cases compared: " + compared + ", by outcome: " + outcomes);
        outcomes.keySet().stream().filter(o -> o.startsWith("left to the reader: ")).forEach(o -> {
            String name = o.substring("left to the reader: ".length());
            System.out.println("  " + name + ": " + (name.equals("text") ? TEXT : LEFT_TO_THE_READER.get(name)));
        });
        assertThat(disagreements).as("the schema and the reader disagree").isEmpty();
        assertThat(compared).as("cases compared").isGreaterThan(1_000);
        assertThat(outcomes.keySet().stream().filter(o -> o.startsWith("structural")).mapToInt(outcomes::get).sum())
                .as("structural refusals seen").isGreaterThan(50);
        assertThat(outcomes.getOrDefault("accepted", 0)).as("accepted mutations seen").isGreaterThan(50);
        assertThat(outcomes.keySet().stream().filter(o -> o.startsWith("left to the reader")).count())
                .as("kinds of semantic refusals seen").isGreaterThan(2);
    }

    @Test
    void shouldSayWhichStageRefused() {
        PolicyReader reader = new PolicyReader();
        assertKind(reader, "environment: prod\nonTrpi: rollback\n", PolicyException.Kind.UNKNOWN_FIELD, "onTrpi");
        assertKind(reader, "environment: prod\nprobes: [{type: smtp, name: a}]\n", PolicyException.Kind.UNKNOWN_TYPE,
                "probes[0].type");
        assertKind(reader, "environment: prod\nkeepGood: five\n", PolicyException.Kind.WRONG_TYPE, "keepGood");
        assertKind(reader, "environment: prod\nonTrip: explode\n", PolicyException.Kind.BAD_ENUM, "onTrip");
        assertKind(reader, "environment: prod\nprobes: [{type: http, name: a}]\n", PolicyException.Kind.MISSING_FIELD,
                "probes[0].url");
        assertKind(reader, "environment: prod\nprobes: [{type: http, name: a, url: ~}]\n",
                PolicyException.Kind.MISSING_FIELD, "probes[0].url");
        assertKind(reader, "probes: []\n", PolicyException.Kind.MISSING_FIELD, "environment");
        assertKind(reader, "environment: prod\nprobes: [{type: http, name: a, url: 'http://x', failIf: '> banana'}]\n",
                PolicyException.Kind.VALUE, "probes[0].failIf");
        assertKind(reader, "environment: prod\ncooldown: soon\n", PolicyException.Kind.VALUE, "cooldown");
        assertKind(reader, "environment: prod\nenvironment: test\n", PolicyException.Kind.TEXT, null);
        assertKind(reader, "environment: [prod\n", PolicyException.Kind.TEXT, null);
    }

    @Test
    void shouldRefuseANumberOrTextForABooleanInOneSentence() {
        PolicyReader reader = new PolicyReader();
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("0", "p.yaml: allowDataRestore: '0' is not a boolean; write true or false");
        refusals.put("1", "p.yaml: allowDataRestore: '1' is not a boolean; write true or false");
        refusals.put("1.0", "p.yaml: allowDataRestore: '1.0' is not a boolean; write true or false");
        refusals.put("'true'", "p.yaml: allowDataRestore: 'true' is text, not a boolean; write true or false without"
                + " quotes");
        refusals.put("maybe", "p.yaml: allowDataRestore: 'maybe' is text, not a boolean; write true or false without"
                + " quotes");
        refusals.forEach((value, message) -> {
            PolicyException refused = catchRefusal(reader, "environment: prod\nallowDataRestore: " + value + "\n");
            assertThat(refused).as("allowDataRestore: %s", value).isNotNull();
            assertThat(refused.getMessage()).isEqualTo(message);
            assertThat(refused.kind()).isEqualTo(PolicyException.Kind.WRONG_TYPE);
        });
        PolicyException json = null;
        try {
            reader.parse("p.json", "{\"environment\": \"prod\", \"allowDataRestore\": 0}");
        }
        catch (PolicyException e) {
            json = e;
        }
        assertThat(json).isNotNull();
        assertThat(json.getMessage()).isEqualTo("p.json: allowDataRestore: '0' is not a boolean; write true or false");
        assertThat(reader.parse("p.yaml", "environment: prod\nallowDataRestore: true\n").allowDataRestore()).isTrue();
        assertThat(reader.parse("p.yaml", "environment: prod\nallowDataRestore: false\n").allowDataRestore()).isFalse();
        assertThat(reader.parse("p.yaml", "environment: prod\nallowDataRestore: ~\n").allowDataRestore()).isFalse();
    }

    @Test
    void shouldNameNoJavaClassInADescription() throws IOException {
        Path root = PolicyReaderFuzzTest.projectRoot();
        Set<String> classes;
        try (Stream<Path> walk = Files.walk(root.resolve("src/main/java"))) {
            classes = walk.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - 5)).filter(n -> !n.equals("package-info"))
                    .collect(Collectors.toSet());
        }
        List<String> named = new ArrayList<>();
        for (String description : new PolicySchema(root).generate().findValuesAsText("description")) {
            for (String word : description.split("[^A-Za-z0-9_$]+")) {
                if (classes.contains(word) && !Character.isLowerCase(word.charAt(0))) {
                    named.add(word + " in: " + description);
                }
            }
        }
        assertThat(named).as("descriptions are read by users in their editors: no Java class names").isEmpty();
    }

    @Test
    void shouldCatchADisagreement() throws IOException {
        String unknown = "environment: prod\nonTrpi: rollback\n";
        // a structural refusal the schema accepted would be reported
        PolicyException structural = new PolicyException("p.yaml: onTrpi: unknown field", null,
                PolicyException.Kind.UNKNOWN_FIELD, "onTrpi");
        assertThat(judge(structural, List.of(), unknown, new TreeMap<>())).contains("for its structure");
        // a semantic refusal of a field not listed would be reported
        PolicyException unlisted = new PolicyException("p.yaml: flavour: bad", null, PolicyException.Kind.VALUE,
                "probes[0].flavour");
        assertThat(judge(unlisted, List.of(), unknown, new TreeMap<>())).contains("not one left to the reader");
        // an acceptance the schema refuses would be reported
        assertThat(judge(null, List.of("bad"), unknown, new TreeMap<>())).contains("the schema refuses");
        // a listed semantic refusal and a structural refusal the schema shares are agreements
        PolicyException listed = new PolicyException("p.yaml: cooldown: bad", null, PolicyException.Kind.VALUE,
                "cooldown");
        assertThat(judge(listed, List.of(), unknown, new TreeMap<>())).isNull();
        assertThat(judge(structural, List.of("onTrpi is not allowed"), unknown, new TreeMap<>())).isNull();
        assertThat(SchemaCheck.errors("environment: prod\nkeepGood: five\n", "p.yaml")).isNotEmpty();
        assertThat(SchemaCheck.errors(unknown, "p.yaml")).isNotEmpty();
        assertThat(SchemaCheck.errors("environment: prod\nonTrip: explode\n", "p.yaml")).isNotEmpty();
        assertThat(SchemaCheck.errors("environment: prod\nallowDataRestore: 0\n", "p.yaml")).isNotEmpty();
        assertThat(SchemaCheck.errors("environment: prod\nprobes: [{type: smtp, name: a}]\n", "p.yaml")).isNotEmpty();
        assertThat(SchemaCheck.errors("environment: prod\nprobes: [{type: http, name: a, url: 'http://x', urll: y}]\n",
                "p.yaml")).isNotEmpty();
    }

    private static void assertKind(final PolicyReader reader, final String text, final PolicyException.Kind kind,
                                   final String field) {
        PolicyException refused = catchRefusal(reader, text);
        assertThat(refused).as("the reader refuses:%n%s", text).isNotNull();
        assertThat(refused.kind()).as("the kind of %s", refused.getMessage()).isEqualTo(kind);
        assertThat(refused.field()).as("the field of %s", refused.getMessage()).isEqualTo(field);
    }

    private static PolicyException catchRefusal(final PolicyReader reader, final String text) {
        try {
            reader.parse("p.yaml", text);
            return null;
        }
        catch (PolicyException e) {
            return e;
        }
    }

    /** Compares the reader and the schema on one text, counting the outcome; null if they agree. */
    static String compare(final PolicyReader reader, final String source, final String text,
                          final Map<String, Integer> outcomes) {
        PolicyException refusal;
        try {
            reader.parse(source, text);
            refusal = null;
        }
        catch (PolicyException e) {
            refusal = e;
        }
        List<String> errors;
        try {
            errors = SchemaCheck.errors(text, source);
        }
        catch (IOException e) { // not YAML or JSON: nothing to validate
            errors = null;
        }
        return judge(refusal, errors, text, outcomes);
    }

    /**
     * Judges one comparison.
     *
     * @param refusal
     *         the reader's refusal, or null if it accepted
     * @param errors
     *         the schema's complaints, or null if the text does not parse into a tree
     * @return null if they agree, else what they disagree on
     */
    static String judge(final PolicyException refusal, final List<String> errors, final String text,
                        final Map<String, Integer> outcomes) {
        String shown = PolicyReader.shorten(text);
        if (refusal == null) {
            outcomes.merge("accepted", 1, Integer::sum);
            return errors == null ? "the reader accepts what does not parse: " + shown
                    : errors.isEmpty() ? null : "the reader accepts, the schema refuses " + errors + ":\n" + shown;
        }
        PolicyException.Kind kind = refusal.kind();
        if (kind.structural()) {
            outcomes.merge("structural: " + kind, 1, Integer::sum);
            return errors == null || !errors.isEmpty() ? null
                    : "the reader refuses for its structure (" + kind + ", " + refusal.getMessage()
                    + "), the schema accepts:\n" + shown;
        }
        if (kind == PolicyException.Kind.TEXT) {
            outcomes.merge("left to the reader: text", 1, Integer::sum);
            return null;
        }
        String field = refusal.field() == null ? "" : refusal.field().replaceAll("\\[\\d+]", "");
        String name = field.substring(field.lastIndexOf('.') + 1);
        String[] segments = field.split("\\.");
        if (segments.length > 1 && SECRET_MAPS.contains(segments[segments.length - 2])) {
            name = segments[segments.length - 2]; // the last segment is a variable of the map, not a field
        }
        String reason = LEFT_TO_THE_READER.get(name);
        if (reason == null) {
            return "the reader refuses a value of '" + refusal.field() + "' (" + refusal.getMessage() + ") and this is not"
                    + " one left to the reader: let the schema say it, or list the field with its reason:\n" + shown;
        }
        outcomes.merge("left to the reader: " + name, 1, Integer::sum);
        return null;
    }

    private static String refusal(final PolicyReader reader, final String text) {
        try {
            reader.parse("p.yaml", text);
            return null;
        }
        catch (PolicyException e) {
            return e.getMessage();
        }
    }

    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"\\n(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern ENVIRONMENT = Pattern.compile("(?m)^\\s*environment:");

    /**
     * The policies the tests write as text blocks (those that name an environment), with their placeholders
     * ({@code %s}, {@code %d}) filled and their escapes undone.
     */
    static List<String> testPolicies(final Path root) throws IOException {
        List<String> policies = new ArrayList<>();
        for (Path dir : List.of(root.resolve("src/test/java"), root.resolve("cli/src/test/java"))) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
            }
            for (Path file : files) {
                Matcher block = TEXT_BLOCK.matcher(Files.readString(file));
                while (block.find()) {
                    String text = block.group(1).stripIndent().replace("%%", "\u0000").replace("%s", "x")
                            .replace("%d", "1").replace("\u0000", "%").replace("\\\\", "\\").replace("\\\"", "\"")
                            .replace("\\n", "\n");
                    if (ENVIRONMENT.matcher(text).find() && !text.contains("unclassified:")) {
                        policies.add(text);
                    }
                }
            }
        }
        return policies;
    }

    /** The published schema, applied to policy text parsed as the reader parses it. */
    static final class SchemaCheck {
        private static final com.networknt.schema.JsonSchema SCHEMA = load();

        private SchemaCheck() {
        }

        private static com.networknt.schema.JsonSchema load() {
            try {
                JsonNode schema = PolicySchema.committed(PolicyReaderFuzzTest.projectRoot());
                return com.networknt.schema.JsonSchemaFactory
                        .getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012).getSchema(schema);
            }
            catch (IOException e) {
                throw new IllegalStateException(PolicySchema.FILE + " cannot be read; write it with " + REGENERATE, e);
            }
        }

        /**
         * Validates policy text.
         *
         * @param text
         *         YAML, or JSON if the source ends in .json
         * @param source
         *         the file name
         * @return the schema's complaints, none if valid
         * @throws IOException
         *         if the text is not YAML (or JSON)
         */
        static List<String> errors(final String text, final String source) throws IOException {
            JsonNode node = SchemaParsing.tree(text, source);
            return SCHEMA.validate(node).stream().map(com.networknt.schema.ValidationMessage::getMessage).sorted().toList();
        }
    }

    /** Parses policy text into a tree with the reader's YAML mapper, or strict JSON for a .json source. */
    static final class SchemaParsing {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper
                .builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

        private SchemaParsing() {
        }

        static JsonNode tree(final String text, final String source) throws IOException {
            com.fasterxml.jackson.databind.ObjectMapper mapper = source.endsWith(".json") ? JSON
                    : new PolicyReader().mapper();
            JsonNode node = mapper.readTree(text);
            return node == null ? ObjectNode.class.cast(mapper.createObjectNode()) : node;
        }
    }
}
