package io.jenkins.plugins.rollbackguard.conventions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code *ITest}s read the remote API ({@code api/json}) by field name, and never run here: a getter renamed or
 * no longer {@code @Exported} would fail only in CI. So every field an ITest reads from a JSON object
 * ({@code getString("x")}, {@code getLong}, {@code getJSONObject}, ...) is the property of an {@code @Exported}
 * getter of src/main ({@code getX}/{@code isX}, or its {@code name}), or one Jenkins writes itself
 * ({@link #JENKINS_FIELDS}). Proven on a deliberately bad snippet.
 */
class ITestJsonFieldsConventionTest {
    /** Fields Jenkins' own exporter writes: the class of each object, a build's actions. */
    static final Set<String> JENKINS_FIELDS = Set.of("_class", "actions");

    private static final Pattern READ = Pattern.compile("\\.(?:get|opt)(?:String|Long|Int|Boolean|Double|JSONObject"
            + "|JSONArray)\\(\"([^\"]+)\"");
    private static final Pattern EXPORTED = Pattern.compile(
            "@Exported\\b(\\([^)]*\\))?[^;{(]*?\\b(?:get|is)([A-Z]\\w*)\\s*\\(");
    private static final Pattern NAME = Pattern.compile("\\bname\\s*=\\s*\"([^\"]+)\"");

    @Test
    void shouldReadOnlyExportedFields() {
        ProjectFiles project = ProjectFiles.locate();
        Set<String> exported = new HashSet<>();
        ProjectFiles.list(project.mainJava(), ".java").forEach(file -> exported.addAll(exported(ProjectFiles.read(file))));
        List<String> problems = new ArrayList<>();
        int read = 0;
        for (Path itest : ProjectFiles.list(project.root().resolve("src/test/java"), "ITest.java")) {
            String source = ProjectFiles.read(itest);
            read += (int) READ.matcher(source).results().count();
            problems.addAll(problems(project.name(itest), source, exported));
        }

        assertThat(exported).as("exported properties of src/main").contains("environment", "durationMs", "open");
        assertThat(read).as("JSON fields the ITests read").isGreaterThan(20);
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportAFieldNoGetterExports() {
        String main = """
                @ExportedBean
                public class PointView {
                    @Exported
                    public String getEnvironment() { return environment; }
                    @Exported(name = "point")
                    public long getPointId() { return id; }
                    @Exported(visibility = 2)
                    public boolean isOpen() { return open; }
                    public String getVerdict() { return verdict; } // not exported
                }
                """;
        String itest = """
                class PointITest {
                    void should() {
                        JSONObject json = wc.getJSON("api/json").getJSONObject();
                        assertThat(json.getString("environment")).isEqualTo("prod");
                        assertThat(json.getLong("point")).isEqualTo(1);
                        assertThat(json.getBoolean("open")).isFalse();
                        assertThat(json.getString("verdict")).contains("error rate");
                        assertThat(json.getLong("pointId")).isEqualTo(1);
                        assertThat(json.optString("_class")).isNotEmpty();
                    }
                }
                """;

        assertThat(exported(main)).containsExactlyInAnyOrder("environment", "point", "open");
        assertThat(problems("PointITest.java", itest, exported(main))).containsExactly(
                "PointITest.java:7: reads the JSON field 'verdict', which no @Exported getter of src/main gives: "
                        + "read the field the remote API has now, or export its getter",
                "PointITest.java:8: reads the JSON field 'pointId', which no @Exported getter of src/main gives: "
                        + "read the field the remote API has now, or export its getter");
    }

    /** The properties a source's {@code @Exported} getters give the remote API. */
    static Set<String> exported(final String source) {
        Set<String> names = new HashSet<>();
        Matcher getter = EXPORTED.matcher(source);
        while (getter.find()) {
            Matcher name = NAME.matcher(getter.group(1) == null ? "" : getter.group(1));
            names.add(name.find() ? name.group(1)
                    : getter.group(2).substring(0, 1).toLowerCase(Locale.ROOT) + getter.group(2).substring(1));
        }
        return names;
    }

    static List<String> problems(final String file, final String itest, final Set<String> exported) {
        List<String> problems = new ArrayList<>();
        Matcher read = READ.matcher(itest);
        while (read.find()) {
            String field = read.group(1);
            if (!exported.contains(field) && !JENKINS_FIELDS.contains(field)) {
                long line = itest.substring(0, read.start()).chars().filter(c -> c == '\n').count() + 1;
                problems.add(("%s:%d: reads the JSON field '%s', which no @Exported getter of src/main gives: read the "
                        + "field the remote API has now, or export its getter").formatted(file, line, field));
            }
        }
        return problems;
    }
}
