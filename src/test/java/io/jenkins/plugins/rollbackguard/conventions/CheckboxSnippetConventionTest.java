package io.jenkins.plugins.rollbackguard.conventions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that an unticked {@code f:checkbox} bound to a boxed {@code Boolean} setter is stored as null, not false.
 * Stapler binds an unticked box as {@code false}; the Snippet Generator (structs'
 * {@code DescribableModel.uninstantiate2}) keeps every optional property whose value differs from a control instance
 * built from the constructor's arguments alone, where a {@code Boolean} field is null, so a stored false prints
 * {@code dryRun: false} in every snippet. A primitive {@code boolean} is false in the control too and is left out.
 */
class CheckboxSnippetConventionTest {
    private static final Pattern CHECKBOX_ENTRY = Pattern.compile(
            "<f:entry\\b[^>]*\\bfield\\s*=\\s*(['\"])([^'\"]+)\\1[^>]*>((?:(?!</f:entry>).)*?)</f:entry>", Pattern.DOTALL);
    private static final Pattern CHECKBOX_FIELD = Pattern.compile(
            "<f:checkbox\\b[^>]*\\bfield\\s*=\\s*(['\"])([^'\"]+)\\1");
    private static final String BAD = """
            package x;
            public class Probe extends Base {
                private Boolean counters;
                @DataBoundSetter
                public void setCounters(@CheckForNull final Boolean counters) {
                    this.counters = counters;
                }
                @DataBoundSetter
                public void setDryRun(final Boolean dryRun) {
                    this.dryRun = Boolean.TRUE.equals(dryRun) ? Boolean.TRUE : null;
                }
                @DataBoundSetter
                public void setWait(final boolean wait) {
                    this.wait = wait;
                }
            }
            """;

    @Test
    void shouldStoreAnUntickedBoxedBooleanAsNull() {
        ProjectFiles project = ProjectFiles.locate();
        List<String> problems = new ArrayList<>();
        int boxes = 0;
        for (Path view : ProjectFiles.list(project.mainResources(), "config.jelly")) {
            Set<String> fields = checkboxFields(ProjectFiles.read(view));
            boxes += fields.size();
            Path folder = view.getParent();
            String[] names = folder.getFileName().toString().split("\\$");
            Path packageDir = project.mainJava().resolve(project.mainResources().relativize(folder.getParent()));
            for (String field : fields) {
                Optional<String> problem = setterProblem(project, packageDir.resolve(names[0] + ".java"),
                        names[names.length - 1], field);
                problem.ifPresent(p -> problems.add(project.name(view) + ": " + p));
            }
        }

        assertThat(boxes).as("checkboxes in config.jelly views").isGreaterThanOrEqualTo(6);
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportABoxedSetterThatKeepsFalse() {
        JavaSource bad = new JavaSource(BAD);

        assertThat(problemOf(bad, "Probe", "counters")).get().asString()
                .contains("setCounters", "Boolean.TRUE.equals");
        assertThat(problemOf(bad, "Probe", "dryRun")).isEmpty();
        assertThat(problemOf(bad, "Probe", "wait")).as("a primitive is false in the control too").isEmpty();
    }

    @Test
    void shouldFindTheCheckboxesOfAView() {
        String view = """
                <f:entry title="a" field="url"><f:textbox/></f:entry>
                <f:entry title="b" field="counters">
                  <f:checkbox/>
                </f:entry>
                <f:checkbox field="wait" title="Wait"/>
                """;

        assertThat(checkboxFields(view)).containsExactly("counters", "wait");
    }

    static Set<String> checkboxFields(final String jelly) {
        Set<String> fields = new LinkedHashSet<>();
        Matcher entry = CHECKBOX_ENTRY.matcher(jelly);
        while (entry.find()) {
            if (entry.group(3).contains("<f:checkbox")) {
                fields.add(entry.group(2));
            }
        }
        Matcher box = CHECKBOX_FIELD.matcher(jelly);
        while (box.find()) {
            fields.add(box.group(2));
        }
        return fields;
    }

    /** Looks for the field's setter in the class and its superclasses in this project. */
    private static Optional<String> setterProblem(final ProjectFiles project, final Path javaFile,
            final String simpleName, final String field) {
        Path file = javaFile;
        String name = simpleName;
        for (int depth = 0; depth < 10 && Files.isRegularFile(file); depth++) {
            JavaSource source = new JavaSource(ProjectFiles.read(file));
            if (setter(source, name, field).isPresent()) {
                return problemOf(source, name, field);
            }
            Optional<String> parent = source.superclass(name);
            if (parent.isEmpty()) {
                break;
            }
            String qualified = parent.get().contains(".") ? parent.get() : source.importOf(parent.get()).orElse(null);
            file = qualified == null ? file.resolveSibling(parent.get() + ".java")
                    : project.mainJava().resolve(qualified.replace('.', '/') + ".java");
            name = parent.get().substring(parent.get().lastIndexOf('.') + 1);
        }
        return Optional.empty(); // a field set by the constructor, or no class: DataBindingConventionTest says so
    }

    static Optional<String> problemOf(final JavaSource source, final String simpleName, final String field) {
        Optional<String[]> found = setter(source, simpleName, field);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String[] parameterAndBody = found.get();
        boolean boxed = parameterAndBody[0].matches("(?s).*\\b(java\\.lang\\.)?Boolean\\s+\\w+\\s*");
        if (!boxed || parameterAndBody[1].contains("Boolean.TRUE.equals(")) {
            return Optional.empty();
        }
        String method = "set" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
        return Optional.of(("%s(Boolean) keeps an unticked box's false, which the Snippet Generator prints in every "
                + "snippet; store Boolean.TRUE.equals(%s) ? Boolean.TRUE : null").formatted(method, field));
    }

    /** @return the setter's parameter list and body, from the class's own body */
    static Optional<String[]> setter(final JavaSource source, final String simpleName, final String field) {
        String body = source.ownBody(simpleName).orElse("");
        String method = "set" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
        Matcher header = Pattern.compile("\\bvoid\\s+" + method + "\\s*\\(([^)]*)\\)\\s*\\{").matcher(body);
        if (!header.find()) {
            return Optional.empty();
        }
        int open = header.end() - 1;
        int depth = 0;
        int close = open;
        for (int i = open; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '{') {
                depth++;
            }
            else if (c == '}' && --depth == 0) {
                close = i;
                break;
            }
        }
        return Optional.of(new String[] {header.group(1), body.substring(open + 1, close)});
    }
}
