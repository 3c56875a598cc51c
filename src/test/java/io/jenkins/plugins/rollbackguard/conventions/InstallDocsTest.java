package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.guard.HostDefaults;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;

/**
 * docs/install.md says what the build says: the minimum Jenkins version is the POM's {@code jenkins.version}, the
 * plugin table lists exactly the POM's compile-scope dependencies (optional ones as optional), and the JCasC block
 * is, byte for byte, the file the JCasC ITest loads; the global defaults' table and help pages quote the engine's
 * values, and the configuration keeps none of its own.
 */
class InstallDocsTest {
    private static final String JCASC = "src/test/resources/io/jenkins/plugins/rollbackguard/config/configuration-as-code.yaml";
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([\\w.-]+)` \\| (required|optional) \\|");
    private static final String CONFIGURATION = "io/jenkins/plugins/rollbackguard/config/RollbackGuardConfiguration";
    /** A row of the global configuration's table: field, default. */
    private static final Pattern DEFAULT_ROW = Pattern.compile("(?m)^\\| `(\\w+)` \\| ([^|]+) \\|");
    private static final Pattern HELP_DEFAULT = Pattern.compile("default(?:, |\\s+is\\s+)<code>([^<]+)</code>");
    /** A field of the configuration that starts at a value of its own: a literal other than "" or an empty list. */
    private static final Pattern OWN_DEFAULT = Pattern.compile(
            "(?m)^\\s*private (?!final|static)[\\w<>]+ (\\w+) = (-?\\d[\\w.]*|\"[^\"]+\"|true|false);");

    @Test
    void shouldNameTheMinimumJenkinsVersionOfThePom() {
        Path root = ProjectFiles.locate().root();
        String pom = ProjectFiles.read(root.resolve("pom.xml"));
        String baseline = tag(pom, "jenkins.baseline");
        String version = tag(pom, "jenkins.version").replace("${jenkins.baseline}", baseline);
        assertThat(ProjectFiles.read(root.resolve("docs/install.md")))
                .contains("**Minimum Jenkins version: " + version + "**");
    }

    @Test
    void shouldListThePluginsThePomDependsOn() {
        Path root = ProjectFiles.locate().root();
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(ProjectFiles.read(root.resolve("docs/install.md")));
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        assertThat(documented).isEqualTo(pluginDependencies(ProjectFiles.read(root.resolve("pom.xml"))));
    }

    @Test
    void shouldTellARequiredFromAnOptionalOrATestDependency() {
        String pom = """
                <dependencies>
                  <dependency><groupId>a</groupId><artifactId>needed</artifactId></dependency>
                  <dependency><groupId>a</groupId><artifactId>maybe</artifactId><optional>true</optional></dependency>
                  <dependency><groupId>a</groupId><artifactId>tested</artifactId><scope>test</scope></dependency>
                </dependencies>
                """;
        assertThat(pluginDependencies(pom)).containsExactly(Map.entry("needed", "required"), Map.entry("maybe", "optional"));
    }

    @Test
    void shouldQuoteTheJcascFileTheITestLoads() {
        Path root = ProjectFiles.locate().root();
        List<String> blocks = new ArrayList<>();
        for (DocBlocks.Block block : DocBlocks.of(root)) {
            if (block.file().equals("docs/install.md") && block.marked("jcasc")) {
                blocks.add(block.text());
            }
        }
        assertThat(blocks).containsExactly(ProjectFiles.read(root.resolve(JCASC)));
        assertThat(ProjectFiles.read(root.resolve("src/test/java/io/jenkins/plugins/rollbackguard/config/"
                + "RollbackGuardConfigurationITest.java"))).as("the ITest loads that file").contains("configuration-as-code.yaml");
    }

    /** The engine's value of each global default the table and the help pages quote. */
    private static Map<String, String> engineDefaults() {
        HostDefaults engine = HostDefaults.engine();
        AnalysisDefaults analysis = engine.analysis();
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("interval", analysis.interval());
        defaults.put("watch", analysis.duration());
        defaults.put("failureLimit", String.valueOf(analysis.failureLimit()));
        defaults.put("consecutiveErrorLimit", String.valueOf(analysis.consecutiveErrorLimit()));
        defaults.put("cooldown", engine.cooldown());
        defaults.put("keepGood", String.valueOf(engine.keepGood()));
        return defaults;
    }

    /** @return the table's field to default, the defaults of deploys without their backquotes */
    static Map<String, String> documentedDefaults(final String installMd) {
        String section = installMd.substring(installMd.indexOf("## Global configuration"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = DEFAULT_ROW.matcher(section);
        while (row.find()) {
            if (!row.group(1).equals("field")) {
                documented.put(row.group(1), row.group(2).strip().replaceAll("^`([^`]*)`$", "$1"));
            }
        }
        return documented;
    }

    /** Every default docs/install.md's table gives is the engine's, so the table cannot rot. */
    @Test
    void shouldDocumentTheEnginesGlobalDefaults() {
        Path root = ProjectFiles.locate().root();
        Map<String, String> documented = documentedDefaults(ProjectFiles.read(root.resolve("docs/install.md")));

        Map<String, String> deploys = new LinkedHashMap<>(documented);
        deploys.keySet().retainAll(engineDefaults().keySet());
        assertThat(deploys).containsExactlyInAnyOrderEntriesOf(engineDefaults());
        assertThat(documented).as("what only Jenkins has starts empty").containsEntry("webhooks", "none")
                .hasEntrySatisfying("backupRoot", d -> assertThat(d).startsWith("empty"))
                .hasEntrySatisfying("probeHostAllowlist", d -> assertThat(d).startsWith("empty"));
    }

    /** The help page of each default quotes the engine's value too. */
    @Test
    void shouldQuoteTheEnginesDefaultsOnTheHelpPages() {
        Path help = ProjectFiles.locate().root().resolve("src/main/resources/" + CONFIGURATION);
        engineDefaults().forEach((field, value) -> {
            Matcher quoted = HELP_DEFAULT.matcher(ProjectFiles.read(help.resolve("help-" + field + ".html")));
            assertThat(quoted.find()).as("help-%s.html names its default", field).isTrue();
            assertThat(quoted.group(1)).as("help-%s.html", field).isEqualTo(value);
        });
    }

    /** The configuration keeps no defaults of its own: every field starts at the engine's value, "" or none. */
    @Test
    void shouldKeepNoDefaultsInTheConfiguration() {
        String source = ProjectFiles.read(ProjectFiles.locate().mainJava().resolve(CONFIGURATION + ".java"));

        assertThat(ownDefaults(source)).isEmpty();
        assertThat(source).as("checks are the engine's (GlobalChecks)").doesNotContain("Pattern.compile")
                .doesNotContain("parseInt").doesNotContain("Durations");
        assertThat(source.lines().count()).as("lines").isLessThan(300);
    }

    @Test
    void shouldCatchATableThatRotsAndADefaultOfTheConfigurationsOwn() {
        String rotten = """
                ## Global configuration

                | field | default | meaning |
                |---|---|---|
                | `interval` | `15s` | time between two samples |
                | `keepGood` | `5` | good points kept |

                ## Configuration as Code
                """;
        assertThat(documentedDefaults(rotten)).containsExactly(Map.entry("interval", "15s"), Map.entry("keepGood", "5"));
        assertThat(documentedDefaults(rotten).get("interval")).isNotEqualTo(engineDefaults().get("interval"));
        assertThat(ownDefaults("""
                    private String interval = "10s";
                    private int keepGood = 5;
                    private String backupRoot = "";
                    private String watch = AnalysisDefaults.engine().duration();
                    private static final int LIMIT = 3;
                """)).containsExactly("interval = \"10s\"", "keepGood = 5");
    }

    /** @return the fields that start at a literal of the class's own */
    static List<String> ownDefaults(final String source) {
        List<String> own = new ArrayList<>();
        Matcher field = OWN_DEFAULT.matcher(source);
        while (field.find()) {
            own.add(field.group(1) + " = " + field.group(2));
        }
        return own;
    }

    /** @return the compile-scope dependencies of the {@code <dependencies>} section: artifactId to required/optional */
    static Map<String, String> pluginDependencies(final String pom) {
        String section = pom.substring(pom.indexOf("<dependencies>", Math.max(0, pom.indexOf("</dependencyManagement>"))));
        Map<String, String> plugins = new LinkedHashMap<>();
        Matcher dependency = DEPENDENCY.matcher(section);
        while (dependency.find()) {
            String text = dependency.group(1);
            if (text.contains("<scope>") || text.contains("<classifier>")) {
                continue; // test (or provided) scope: not installed with the plugin
            }
            plugins.put(tag(text, "artifactId"), text.contains("<optional>true</optional>") ? "optional" : "required");
        }
        return plugins;
    }

    private static String tag(final String xml, final String name) {
        Matcher tag = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</" + Pattern.quote(name) + ">").matcher(xml);
        if (!tag.find()) {
            throw new IllegalStateException("no <" + name + "> in the POM");
        }
        return tag.group(1).strip();
    }
}
