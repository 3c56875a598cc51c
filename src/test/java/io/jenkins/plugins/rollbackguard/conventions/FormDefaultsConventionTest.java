package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import io.jenkins.plugins.rollbackguard.engine.guard.PolicyDefaults;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;

/**
 * What a form shows must be what was saved, and what it lets through must be what the check behind it accepts; the
 * review of the glue against Jenkins core's form tags found both broken:
 * <ul>
 *     <li>{@code f:textbox} shows {@code attrs.value ?: instance[field] ?: default} (core {@code textbox.jelly}), and
 *     an empty string is false to that operator: a property saved empty comes back as the default, and the next save
 *     stores the default. So a textbox may have a {@code default} only when its setter turns an empty value into that
 *     default (it hands the value to a normaliser), never when empty is a value of its own (the policy file of "Record
 *     rollback point": empty with inline probes means no file).</li>
 *     <li>{@code f:number} passes its {@code min} to the browser's {@code <input type=number>}: the global
 *     configuration's {@code min} must be the smallest value the engine's check accepts, or the form refuses what
 *     the help, Configuration as Code and the engine allow.</li>
 * </ul>
 * Proven on deliberately bad snippets.
 */
class FormDefaultsConventionTest {
    private static final String GLOBAL =
            "io/jenkins/plugins/rollbackguard/config/RollbackGuardConfiguration/config.jelly";

    @Test
    void shouldGiveATextboxADefaultOnlyWhereTheSetterTurnsEmptyIntoIt() {
        ProjectFiles project = ProjectFiles.locate();
        List<String> problems = new ArrayList<>();
        int defaults = 0;
        for (Path view : ProjectFiles.list(project.mainResources(), "config.jelly")) {
            Optional<String> source = classOf(project, view);
            for (String[] entry : textboxDefaults(ProjectFiles.read(view))) {
                defaults++;
                problems.addAll(defaultProblems(project.name(view), entry[0], entry[1], source.orElse("")));
            }
        }

        assertThat(defaults).as("textboxes with a default").isPositive();
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldFindADefaultThatAnEmptySavedValueTurnsInto() {
        String view = """
                <?jelly escape-by-default='true'?>
                <j:jelly xmlns:j="jelly:core" xmlns:f="/lib/form">
                  <f:entry title="${%policyFile}" field="policyFile">
                    <f:textbox default="rollback-guard.yaml"/>
                  </f:entry>
                  <f:entry title="${%onTrip}" field="onTrip"><f:textbox/></f:entry>
                </j:jelly>
                """;
        String keepsEmpty = """
                public class Builder {
                    @DataBoundSetter
                    public void setPolicyFile(final String policyFile) {
                        this.policyFile = policyFile == null ? "" : policyFile.trim();
                    }
                }
                """;
        String normalises = """
                public class Recorder {
                    @DataBoundSetter
                    public void setPolicyFile(final String policyFile) {
                        this.policyFile = FreestyleForms.policyFile(policyFile);
                    }
                }
                """;

        List<String[]> entries = textboxDefaults(view);

        assertThat(entries).hasSize(1);
        assertThat(entries.get(0)).containsExactly("policyFile", "rollback-guard.yaml");
        assertThat(defaultProblems("B/config.jelly", "policyFile", "rollback-guard.yaml", keepsEmpty)).containsExactly(
                "B/config.jelly: the textbox of policyFile has default=\"rollback-guard.yaml\" but setPolicyFile keeps "
                        + "an empty value: textbox.jelly shows instance[field] ?: default, so an empty value saved comes "
                        + "back as the default; drop the default or turn empty into it in the setter");
        assertThat(defaultProblems("R/config.jelly", "policyFile", "rollback-guard.yaml", normalises)).isEmpty();
        assertThat(defaultProblems("X/config.jelly", "policyFile", "a", "class X { }")).singleElement().asString()
                .contains("no setPolicyFile");
    }

    @Test
    void shouldLetTheGlobalFormTakeWhatTheEngineAccepts() {
        ProjectFiles project = ProjectFiles.locate();

        List<String> problems = minimumProblems(GLOBAL, ProjectFiles.read(project.mainResources().resolve(GLOBAL)));

        assertThat(numberMinimums(ProjectFiles.read(project.mainResources().resolve(GLOBAL))))
                .as("the number fields of the global configuration")
                .extracting(entry -> entry[0]).contains("failureLimit", "consecutiveErrorLimit", "keepGood");
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldFindAMinimumTheEngineDoesNotHave() {
        String view = """
                <j:jelly xmlns:j="jelly:core" xmlns:f="/lib/form">
                  <f:entry title="${%failureLimit}" field="failureLimit"><f:number min="0"/></f:entry>
                  <f:entry title="${%consecutiveErrorLimit}" field="consecutiveErrorLimit"><f:number min="1"/></f:entry>
                  <f:entry title="${%keepGood}" field="keepGood"><f:number min="0"/></f:entry>
                  <f:entry title="${%other}" field="other"><f:number min="0"/></f:entry>
                </j:jelly>
                """;

        assertThat(minimumProblems("G/config.jelly", view)).containsExactly(
                "G/config.jelly: consecutiveErrorLimit has min=\"1\" but the engine accepts 0; the form would refuse "
                        + "what the help and Configuration as Code allow",
                "G/config.jelly: keepGood has min=\"0\" but the engine refuses 0: "
                        + PolicyDefaults.checkKeepGood("0").orElseThrow(),
                "G/config.jelly: other has a min but no engine check is known for it; add it to "
                        + "FormDefaultsConventionTest.engineCheck");
    }

    /** @return for each textbox with a default, its entry's field and the default */
    static List<String[]> textboxDefaults(final String jelly) {
        List<String[]> found = new ArrayList<>();
        NodeList entries = parse(jelly).getElementsByTagName("f:entry");
        for (int i = 0; i < entries.getLength(); i++) {
            Element entry = (Element) entries.item(i);
            NodeList boxes = entry.getElementsByTagName("f:textbox");
            for (int b = 0; b < boxes.getLength(); b++) {
                Element box = (Element) boxes.item(b);
                if (box.hasAttribute("default") && !entry.getAttribute("field").isEmpty()) {
                    found.add(new String[] {entry.getAttribute("field"), box.getAttribute("default")});
                }
            }
        }
        return found;
    }

    /** @return for each number field, its entry's field and its min (empty without one) */
    static List<String[]> numberMinimums(final String jelly) {
        List<String[]> found = new ArrayList<>();
        NodeList entries = parse(jelly).getElementsByTagName("f:entry");
        for (int i = 0; i < entries.getLength(); i++) {
            Element entry = (Element) entries.item(i);
            NodeList numbers = entry.getElementsByTagName("f:number");
            for (int n = 0; n < numbers.getLength(); n++) {
                found.add(new String[] {entry.getAttribute("field"), ((Element) numbers.item(n)).getAttribute("min")});
            }
        }
        return found;
    }

    static List<String> defaultProblems(final String view, final String field, final String value,
            final String classSource) {
        String setter = "set" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
        JavaSource source = new JavaSource(classSource);
        Matcher declaration = Pattern.compile("\\b" + setter
                + "\\s*\\(\\s*(?:final\\s+)?[\\w<>?,.\\s]+?\\s(\\w+)\\s*\\)").matcher(source.code());
        if (!declaration.find()) {
            return List.of(view + ": the textbox of " + field + " has a default but its class has no " + setter);
        }
        String parameter = declaration.group(1);
        String body = String.join("\n", StepConventions.methodBodies(source.code(), setter));
        // a normaliser: a call that takes the parameter whole (not the parameter's own trim() or strip())
        boolean normalised = Pattern.compile("(?<![.\\w])[A-Za-z_$][\\w$.]*\\s*\\(\\s*" + Pattern.quote(parameter)
                + "\\s*\\)").matcher(body).find();
        return normalised ? List.of() : List.of(view + ": the textbox of " + field + " has default=\"" + value
                + "\" but " + setter + " keeps an empty value: textbox.jelly shows instance[field] ?: default, so an "
                + "empty value saved comes back as the default; drop the default or turn empty into it in the setter");
    }

    static List<String> minimumProblems(final String view, final String jelly) {
        List<String> problems = new ArrayList<>();
        for (String[] number : numberMinimums(jelly)) {
            String field = number[0];
            if (number[1].isEmpty()) {
                continue;
            }
            Optional<Function<String, Optional<String>>> check = engineCheck(field);
            if (check.isEmpty()) {
                problems.add(view + ": " + field + " has a min but no engine check is known for it; add it to "
                        + "FormDefaultsConventionTest.engineCheck");
                continue;
            }
            int min = Integer.parseInt(number[1]);
            Optional<String> atMin = check.get().apply(String.valueOf(min));
            if (atMin.isPresent()) {
                problems.add(view + ": " + field + " has min=\"" + min + "\" but the engine refuses " + min + ": "
                        + atMin.get());
            }
            else if (check.get().apply(String.valueOf(min - 1)).isEmpty()) {
                problems.add(view + ": " + field + " has min=\"" + min + "\" but the engine accepts " + (min - 1)
                        + "; the form would refuse what the help and Configuration as Code allow");
            }
        }
        return problems;
    }

    /** The engine's check of a global default, as the configuration's GlobalChecks sends it. */
    private static Optional<Function<String, Optional<String>>> engineCheck(final String field) {
        return switch (field) {
            case "failureLimit", "consecutiveErrorLimit" ->
                    Optional.of(value -> AnalysisDefaults.check(field, field, value));
            case "keepGood" -> Optional.of(PolicyDefaults::checkKeepGood);
            default -> Optional.empty();
        };
    }

    /** The source of the class a view belongs to ({@code resources/a/Foo/config.jelly}: {@code java/a/Foo.java}). */
    private static Optional<String> classOf(final ProjectFiles project, final Path view) {
        Path folder = view.getParent();
        String outer = folder.getFileName().toString().split("\\$")[0];
        Path javaFile = project.mainJava().resolve(project.mainResources().relativize(folder.getParent()))
                .resolve(outer + ".java");
        return Files.isRegularFile(javaFile) ? Optional.of(ProjectFiles.read(javaFile)) : Optional.empty();
    }

    private static org.w3c.dom.Document parse(final String jelly) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(jelly)));
        }
        catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("not well-formed: " + e.getMessage(), e);
        }
    }
}
