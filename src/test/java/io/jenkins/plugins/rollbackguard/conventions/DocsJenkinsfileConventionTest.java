package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every step and named parameter of the plugin in a Jenkinsfile snippet of the docs (```groovy blocks of docs/*.md
 * and README.md) exists on the step's describables, read from the Java sources because Jenkins cannot load here: a
 * step is named by its descriptor's {@code getFunctionName()}, a nested describable (a probe, a backup) by its
 * {@code @Symbol}; its parameters are the {@code @DataBoundConstructor}'s and the {@code @DataBoundSetter}s of the
 * class and its superclasses. A call of a name that looks like the plugin's ({@code rollback...}, {@code ...Guard...})
 * and is none of its steps fails too.
 */
class DocsJenkinsfileConventionTest {
    private static final Pattern FUNCTION_NAME = Pattern.compile(
            "getFunctionName\\s*\\(\\s*\\)\\s*\\{\\s*return\\s+\"(\\w+)\"");
    private static final Pattern SYMBOL = Pattern.compile("@Symbol\\(\\s*\"(\\w+)\"\\s*\\)");
    private static final Pattern CALL = Pattern.compile("\\b([A-Za-z_]\\w*)\\s*\\(");
    private static final Pattern PLUGIN_LIKE = Pattern.compile("(?i)^(rollback\\w*|\\w*guard\\w*)$");
    private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z_]\\w*)\\s*:");

    @Test
    void shouldUseOnlyStepsAndParametersThatExist() {
        Path root = ProjectFiles.locate().root();
        Map<String, Set<String>> steps = describables(root);
        assertThat(steps).containsKeys("withRollbackGuard", "rollbackTo", "http", "prometheus", "command", "files",
                "postgres", "mysql");
        assertThat(steps.get("withRollbackGuard")).contains("environment", "policy");
        List<DocBlocks.Block> snippets = DocBlocks.of(root).stream().filter(b -> b.language().equals("groovy")).toList();
        assertThat(snippets).as("Jenkinsfile snippets in the docs").hasSizeGreaterThanOrEqualTo(5);
        List<String> problems = new ArrayList<>();
        int calls = 0;
        for (DocBlocks.Block snippet : snippets) {
            calls += check(snippet, steps, problems);
        }
        System.out.printf("groovy snippets: %d, calls of the plugin's steps checked: %d%n", snippets.size(), calls);
        assertThat(calls).as("calls of the plugin's steps").isGreaterThanOrEqualTo(10);
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldRefuseAMadeUpParameterOrStep() {
        Map<String, Set<String>> steps = describables(ProjectFiles.locate().root());
        List<DocBlocks.Block> bad = DocBlocks.parse("bad.md", """
                ```groovy
                withRollbackGuard(environment: 'production', policy: 'rollback-guard.yaml', rollbackSpeed: 'fast',
                        probes: [http(name: 'health', url: 'https://shop.example/health', failIff: '> 800')]) {
                    sh './deploy.sh'
                }
                rollbackGuardTeleport(to: 'lastGood')
                ```
                """);
        List<String> problems = new ArrayList<>();
        check(bad.get(0), steps, problems);
        assertThat(problems).containsExactly(
                "bad.md:1: withRollbackGuard has no parameter 'rollbackSpeed'",
                "bad.md:1: http has no parameter 'failIff'",
                "bad.md:1: 'rollbackGuardTeleport' looks like a step of the plugin but is none");
    }

    /** Checks one snippet; @return how many calls of the plugin's steps it makes */
    static int check(final DocBlocks.Block snippet, final Map<String, Set<String>> steps, final List<String> problems) {
        String code = snippet.text().replaceAll("(?m)(^|\\s)//[^\n]*", "$1"); // not the // of a URL
        int calls = 0;
        Matcher call = CALL.matcher(code);
        while (call.find()) {
            String name = call.group(1);
            if (inString(code, call.start())) {
                continue;
            }
            Set<String> parameters = steps.get(name);
            if (parameters == null) {
                if (PLUGIN_LIKE.matcher(name).matches()) {
                    problems.add(snippet.where() + ": '" + name + "' looks like a step of the plugin but is none");
                }
                continue;
            }
            calls++;
            for (String key : keys(code, call.end())) {
                if (!parameters.contains(key)) {
                    problems.add(snippet.where() + ": " + name + " has no parameter '" + key + "'");
                }
            }
        }
        return calls;
    }

    /** @return the named arguments at the top level of the call whose '(' ends at {@code from} */
    private static List<String> keys(final String code, final int from) {
        List<String> keys = new ArrayList<>();
        int depth = 0;
        StringBuilder argument = new StringBuilder();
        for (int i = from; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int end = code.indexOf(c, i + 1);
                end = end < 0 ? code.length() - 1 : end;
                argument.append("''");
                i = end;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            }
            else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    addKey(argument, keys);
                    return keys;
                }
                depth--;
            }
            else if (c == ',' && depth == 0) {
                addKey(argument, keys);
                argument.setLength(0);
                continue;
            }
            if (depth == 0) {
                argument.append(c);
            }
        }
        return keys;
    }

    private static void addKey(final CharSequence argument, final List<String> keys) {
        Matcher key = KEY.matcher(argument);
        if (key.find()) {
            keys.add(key.group(1));
        }
    }

    private static boolean inString(final String code, final int at) {
        int lineStart = code.lastIndexOf('\n', at) + 1;
        String before = code.substring(lineStart, at);
        return before.chars().filter(c -> c == '\'').count() % 2 == 1 || before.chars().filter(c -> c == '"').count() % 2 == 1;
    }

    /**
     * @return the plugin's steps and nested describables by the name a Jenkinsfile calls them, each with its bound
     *         parameters (its superclasses' included)
     */
    static Map<String, Set<String>> describables(final Path root) {
        Map<String, Set<String>> steps = new LinkedHashMap<>();
        for (String pkg : List.of("steps", "freestyle")) {
            Path dir = root.resolve("src/main/java/io/jenkins/plugins/rollbackguard/" + pkg);
            for (Path file : ProjectFiles.list(dir, ".java")) {
                String raw = ProjectFiles.read(file);
                String type = file.getFileName().toString().replace(".java", "");
                Matcher name = FUNCTION_NAME.matcher(raw);
                Matcher symbol = SYMBOL.matcher(raw);
                String called = name.find() ? name.group(1) : symbol.find() ? symbol.group(1) : null;
                if (called != null) {
                    steps.computeIfAbsent(called, k -> new LinkedHashSet<>()).addAll(properties(dir, type));
                }
            }
        }
        return steps;
    }

    private static Set<String> properties(final Path dir, final String type) {
        Set<String> properties = new LinkedHashSet<>();
        String at = type;
        while (at != null) {
            Path file = dir.resolve(at + ".java");
            if (!file.toFile().isFile()) {
                break;
            }
            JavaSource source = new JavaSource(ProjectFiles.read(file));
            properties.addAll(source.boundProperties(at));
            Optional<String> parent = source.superclass(at);
            at = parent.map(p -> p.substring(p.lastIndexOf('.') + 1)).orElse(null);
        }
        return properties;
    }
}
