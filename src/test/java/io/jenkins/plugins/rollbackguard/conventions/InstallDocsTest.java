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

/**
 * docs/install.md says what the build says: the minimum Jenkins version is the POM's {@code jenkins.version}, the
 * plugin table lists exactly the POM's compile-scope dependencies (optional ones as optional), and the JCasC block
 * is, byte for byte, the file the JCasC ITest loads.
 */
class InstallDocsTest {
    private static final String JCASC = "src/test/resources/io/jenkins/plugins/rollbackguard/config/configuration-as-code.yaml";
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([\\w.-]+)` \\| (required|optional) \\|");
    private static final Pattern BUNDLED_ROW = Pattern.compile("(?m)^\\| `([\\w.-]+)` \\| bundled \\|");

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
    void shouldListTheLibrariesThePluginBundles() {
        Path root = ProjectFiles.locate().root();
        List<String> documented = new ArrayList<>();
        Matcher row = BUNDLED_ROW.matcher(ProjectFiles.read(root.resolve("docs/install.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).isEqualTo(bundledLibraries(ProjectFiles.read(root.resolve("pom.xml"))));
    }

    @Test
    void shouldTellAPluginFromABundledLibraryByItsGroup() {
        String pom = """
                <dependencies>
                  <dependency><groupId>org.jenkins-ci.plugins</groupId><artifactId>structs</artifactId></dependency>
                  <dependency><groupId>org.apache.commons</groupId><artifactId>commons-math3</artifactId></dependency>
                </dependencies>
                """;
        assertThat(pluginDependencies(pom)).containsOnlyKeys("structs");
        assertThat(bundledLibraries(pom)).containsExactly("commons-math3");
    }

    @Test
    void shouldTellARequiredFromAnOptionalOrATestDependency() {
        String pom = """
                <dependencies>
                  <dependency><groupId>io.jenkins.plugins</groupId><artifactId>needed</artifactId></dependency>
                  <dependency><groupId>io.jenkins.plugins</groupId><artifactId>maybe</artifactId><optional>true</optional></dependency>
                  <dependency><groupId>io.jenkins.plugins</groupId><artifactId>tested</artifactId><scope>test</scope></dependency>
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

    /** @return the compile-scope dependencies that are no Jenkins plugin: libraries the plugin's archive bundles */
    static List<String> bundledLibraries(final String pom) {
        String section = pom.substring(pom.indexOf("<dependencies>", Math.max(0, pom.indexOf("</dependencyManagement>"))));
        List<String> libraries = new ArrayList<>();
        Matcher dependency = DEPENDENCY.matcher(section);
        while (dependency.find()) {
            String text = dependency.group(1);
            if (!text.contains("<scope>") && !text.contains("<classifier>") && !isPlugin(text)) {
                libraries.add(tag(text, "artifactId"));
            }
        }
        return libraries;
    }

    /** Jenkins plugins are published under the org.jenkins-ci and io.jenkins groups; anything else is a library. */
    private static boolean isPlugin(final String dependency) {
        String group = tag(dependency, "groupId");
        return group.startsWith("org.jenkins-ci") || group.startsWith("io.jenkins");
    }

    /** @return the compile-scope plugin dependencies of the {@code <dependencies>} section: artifactId to required/optional */
    static Map<String, String> pluginDependencies(final String pom) {
        String section = pom.substring(pom.indexOf("<dependencies>", Math.max(0, pom.indexOf("</dependencyManagement>"))));
        Map<String, String> plugins = new LinkedHashMap<>();
        Matcher dependency = DEPENDENCY.matcher(section);
        while (dependency.find()) {
            String text = dependency.group(1);
            if (text.contains("<scope>") || text.contains("<classifier>") || !isPlugin(text)) {
                continue; // test (or provided) scope: not installed with the plugin; a library is bundled
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
