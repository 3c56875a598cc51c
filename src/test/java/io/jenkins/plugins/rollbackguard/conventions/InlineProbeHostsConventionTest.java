package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Issue 17, the hosts of {@link ProbeFieldParityConventionTest}: every probe field is inline under the same name in
 * the Pipeline step <em>and in the freestyle form</em>, because both host the same probe describables (the subclasses
 * of {@code GuardProbe} that the parity test compares with the engine's records) and translate them the same way.
 * For each host this checks, on the sources (Jenkins cannot load here): the class binds
 * {@code @DataBoundSetter setProbes(List<GuardProbe>)}; its {@code config.jelly} (parsed as XML) offers them as a
 * hetero list of the {@code /lib/form} library bound to {@code probes}; its translator calls
 * {@code InlinePolicy.probes}, the one translation of both; and no other main class translates inline probes itself.
 * A new class that binds {@code setProbes(List<GuardProbe>)} must be listed here.
 */
class InlineProbeHostsConventionTest {
    /** Each host of inline probes, as a path below the plugin's package, and the class that translates its probes. */
    private static final Map<String, String> HOSTS = new TreeMap<>(Map.of(
            "steps/WithRollbackGuardStep", "steps/PolicyResolver",
            "freestyle/RecordRollbackPointBuilder", "freestyle/PolicyLoader"));
    private static final String PACKAGE = "io/jenkins/plugins/rollbackguard/";
    private static final String FORM_LIBRARY = "/lib/form";
    private static final Pattern PROBES_SETTER = Pattern.compile(
            "@DataBoundSetter\\b[^{;(]*?\\bsetProbes\\s*\\(\\s*(?:final\\s+)?(?:java\\.util\\.)?List\\s*<\\s*"
                    + "(?:[\\w.]+\\.)?GuardProbe\\s*>");
    private static final Pattern SHARED_TRANSLATION = Pattern.compile("\\bInlinePolicy\\s*\\.\\s*probes\\s*\\(");
    /** Building the Jenkins defaults of a probe is the start of a translation of its own. */
    private static final Pattern OWN_TRANSLATION = Pattern.compile("\\bProbeDefaults\\s*\\.\\s*of\\s*\\(");
    private static final String SHARED = "steps/InlinePolicy.java";

    private static final String FREESTYLE_WITHOUT_PROBES = """
            <?jelly escape-by-default='true'?>
            <j:jelly xmlns:j="jelly:core" xmlns:f="/lib/form">
              <f:entry title="${%environment}" field="environment"><f:textbox/></f:entry>
              <f:entry title="${%policyFile}" field="policyFile"><f:textbox/></f:entry>
              <!-- <f:repeatableHeteroProperty field="probes"/> in a comment does not count -->
              <f:entry title="${%probes}" field="probes"><f:textbox/></f:entry>
            </j:jelly>
            """;
    private static final String BUILDER_WITHOUT_PROBES = """
            package x;
            public class RecordRollbackPointBuilder extends Builder {
                @DataBoundConstructor public RecordRollbackPointBuilder(String environment) { }
                @DataBoundSetter public void setPolicyFile(String policyFile) { }
                // @DataBoundSetter public void setProbes(List<GuardProbe> probes) { } in a comment does not count
                @DataBoundSetter public void setProbes(String probes) { }
            }
            """;

    @Test
    void shouldOfferTheSameInlineProbesInEveryHost() {
        ProjectFiles project = ProjectFiles.locate();
        List<String> problems = new ArrayList<>();
        HOSTS.forEach((host, translator) -> {
            String name = host.substring(host.indexOf('/') + 1);
            problems.addAll(bindingProblems(name, ProjectFiles.read(java(project, host))));
            problems.addAll(formProblems(host + "/config.jelly",
                    ProjectFiles.read(project.mainResources().resolve(PACKAGE + host + "/config.jelly"))));
            problems.addAll(translationProblems(translator, ProjectFiles.read(java(project, translator))));
        });
        problems.addAll(ProjectFiles.problemsInMainSources(InlineProbeHostsConventionTest::unlistedHost));
        problems.addAll(ProjectFiles.problemsInMainSources(InlineProbeHostsConventionTest::ownTranslation));

        System.out.printf("hosts of inline probes: %s%n", HOSTS.keySet());
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldQuoteTheFreestyleMessagesOfInlineProbesAsTheStepWritesThem() {
        ProjectFiles project = ProjectFiles.locate();
        Properties messages = Conventions.properties(ProjectFiles.read(
                project.mainResources().resolve(PACKAGE + "freestyle/Messages.properties")));
        String docs = ProjectFiles.read(project.root().resolve("docs/ui.md"));

        assertThat(quoteProblems("docs/ui.md", docs, messages)).isEmpty();
        assertThat(quoteProblems("bad.md", docs.replace("is not in the workspace: leave", "is missing: leave"),
                messages)).singleElement().asString().startsWith("bad.md does not quote PolicyLoader.MissingWithProbes");
    }

    @Test
    void shouldNameAFreestyleFormWithoutTheProbeList() {
        assertThat(formProblems("freestyle/RecordRollbackPointBuilder/config.jelly", FREESTYLE_WITHOUT_PROBES))
                .containsExactly("freestyle/RecordRollbackPointBuilder/config.jelly offers no inline probes: add "
                        + "<f:entry field=\"probes\"><f:repeatableHeteroProperty field=\"probes\" hasHeader=\"true\"/>"
                        + "</f:entry>, as the Pipeline step's form has");
    }

    @Test
    void shouldNameAFreestyleStepThatBindsNoProbeList() {
        assertThat(bindingProblems("RecordRollbackPointBuilder", BUILDER_WITHOUT_PROBES)).containsExactly(
                "RecordRollbackPointBuilder binds no inline probes: add @DataBoundSetter setProbes(List<GuardProbe>),"
                        + " the probe describables of the Pipeline step");
    }

    @Test
    void shouldNameATranslatorThatTranslatesTheProbesItself() {
        String copied = """
                package x;
                final class PolicyLoader {
                    static List<ProbeSpec> specs(List<GuardProbe> probes, RollbackGuardConfiguration defaults) {
                        return probes.stream().map(p -> p.toSpec(ProbeDefaults.of(defaults))).toList();
                    }
                }
                """;

        assertThat(translationProblems("freestyle/PolicyLoader", copied)).containsExactly(
                "freestyle/PolicyLoader does not translate its inline probes through InlinePolicy.probes: call it, "
                        + "so that a probe means the same in every host");
        assertThat(ownTranslation("src/main/java/x/PolicyLoader.java", new JavaSource(copied))).containsExactly(
                "src/main/java/x/PolicyLoader.java translates inline probes itself (ProbeDefaults.of): call "
                        + "InlinePolicy.probes instead, the one translation of every host");
    }

    @Test
    void shouldNameAnUnlistedHost() {
        JavaSource recorder = new JavaSource("""
                package x;
                public class RollbackGuardRecorder extends Recorder {
                    @DataBoundSetter public void setProbes(final List<GuardProbe> probes) { }
                }
                """);

        assertThat(unlistedHost("src/main/java/io/jenkins/plugins/rollbackguard/freestyle/RollbackGuardRecorder.java",
                recorder)).containsExactly("freestyle/RollbackGuardRecorder binds inline probes but is not a host of "
                        + "InlineProbeHostsConventionTest: list it in HOSTS with the class that translates its probes");
    }

    /** The freestyle messages of inline probes that docs/ui.md quotes, with the values it quotes them with. */
    static List<String> quoteProblems(final String file, final String docs, final Properties messages) {
        Map<String, String> quoted = Map.of(
                "PolicyLoader.MissingWithProbes", "`" + format(messages, "PolicyLoader.MissingWithProbes",
                        "deploy/policy.yaml") + "`",
                "PolicyLoader.InlineProbes", "`" + format(messages, "PolicyLoader.InlineProbes", "") + "`");
        List<String> problems = new ArrayList<>();
        new TreeMap<>(quoted).forEach((key, text) -> {
            if (!docs.replaceAll("\\s*\\n\\s*", " ").contains(text)) {
                problems.add("%s does not quote %s as the step writes it: %s".formatted(file, key, text));
            }
        });
        return problems;
    }

    private static String format(final Properties messages, final String key, final String value) {
        return new MessageFormat(messages.getProperty(key)).format(new Object[] {value});
    }

    static List<String> bindingProblems(final String name, final String source) {
        if (PROBES_SETTER.matcher(new JavaSource(source).code()).find()) {
            return List.of();
        }
        return List.of(name + " binds no inline probes: add @DataBoundSetter setProbes(List<GuardProbe>), the probe "
                + "describables of the Pipeline step");
    }

    static List<String> formProblems(final String view, final String jelly) {
        NodeList elements = parse(jelly).getElementsByTagNameNS(FORM_LIBRARY, "*");
        for (int i = 0; i < elements.getLength(); i++) {
            Element element = (Element) elements.item(i);
            boolean bound = "repeatableHeteroProperty".equals(element.getLocalName())
                    && "probes".equals(element.getAttribute("field"))
                    || "hetero-list".equals(element.getLocalName()) && "probes".equals(element.getAttribute("name"));
            if (bound) {
                return List.of();
            }
        }
        return List.of(view + " offers no inline probes: add <f:entry field=\"probes\"><f:repeatableHeteroProperty "
                + "field=\"probes\" hasHeader=\"true\"/></f:entry>, as the Pipeline step's form has");
    }

    static List<String> translationProblems(final String translator, final String source) {
        if (SHARED_TRANSLATION.matcher(new JavaSource(source).code()).find()) {
            return List.of();
        }
        return List.of(translator + " does not translate its inline probes through InlinePolicy.probes: call it, so "
                + "that a probe means the same in every host");
    }

    private static List<String> unlistedHost(final String file, final JavaSource source) {
        if (!PROBES_SETTER.matcher(source.code()).find()) {
            return List.of();
        }
        Matcher path = Pattern.compile(PACKAGE + "(\\w+/\\w+)\\.java$").matcher(file);
        String host = path.find() ? path.group(1) : file;
        if (HOSTS.containsKey(host)) {
            return List.of();
        }
        return List.of(host + " binds inline probes but is not a host of InlineProbeHostsConventionTest: list it in "
                + "HOSTS with the class that translates its probes");
    }

    private static List<String> ownTranslation(final String file, final JavaSource source) {
        if (file.endsWith(SHARED) || file.endsWith("steps/ProbeDefaults.java")
                || !OWN_TRANSLATION.matcher(source.code()).find()) {
            return List.of();
        }
        return List.of(file + " translates inline probes itself (ProbeDefaults.of): call InlinePolicy.probes "
                + "instead, the one translation of every host");
    }

    private static Path java(final ProjectFiles project, final String path) {
        return project.mainJava().resolve(PACKAGE + path + ".java");
    }

    private static org.w3c.dom.Document parse(final String jelly) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(jelly)));
        }
        catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("not a well-formed view: " + e.getMessage(), e);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
