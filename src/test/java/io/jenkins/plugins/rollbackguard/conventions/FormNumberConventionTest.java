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
 * Tests that a {@code Double} property typed into an {@code f:textbox} has a form check ({@code doCheckX}) in its
 * class or a superclass: Stapler binds it through {@code DoubleConverter(null)}, whose default turns any text it cannot
 * read ("0,005", "1%") into null without a word (commons-beanutils 1.9.4, tried), so the field silently takes the
 * engine's default and the Snippet Generator leaves it out.
 */
class FormNumberConventionTest {
    private static final Pattern TEXTBOX_ENTRY = Pattern.compile(
            "<f:entry\\b[^>]*\\bfield\\s*=\\s*(['\"])([^'\"]+)\\1[^>]*>((?:(?!</f:entry>).)*?)</f:entry>", Pattern.DOTALL);
    private static final String BAD = """
            package x;
            public class Probe {
                @DataBoundSetter
                public void setAlpha(@CheckForNull final Double alpha) { this.alpha = alpha; }
                @DataBoundSetter
                public void setBeta(final Double beta) { this.beta = beta; }
                @DataBoundSetter
                public void setName(final String name) { this.name = name; }
                public static class DescriptorImpl extends Descriptor<Probe> {
                    @POST
                    public FormValidation doCheckBeta(@QueryParameter final String value) { return ok(); }
                }
            }
            """;

    @Test
    void shouldCheckEveryDecimalTypedIntoATextbox() {
        ProjectFiles project = ProjectFiles.locate();
        List<String> problems = new ArrayList<>();
        int decimals = 0;
        for (Path view : ProjectFiles.list(project.mainResources(), "config.jelly")) {
            Path folder = view.getParent();
            String[] names = folder.getFileName().toString().split("\\$");
            Path packageDir = project.mainJava().resolve(project.mainResources().relativize(folder.getParent()));
            List<JavaSource[]> chain = chain(project, packageDir.resolve(names[0] + ".java"));
            List<String> classNames = classNames(chain, names[names.length - 1]);
            for (String field : textboxFields(ProjectFiles.read(view))) {
                if (isDecimal(chain, classNames, field)) {
                    decimals++;
                    problem(chain, field).ifPresent(p -> problems.add(project.name(view) + ": " + p));
                }
            }
        }

        assertThat(decimals).as("decimal textboxes (alpha, beta, allowedRate of three probes)").isGreaterThanOrEqualTo(9);
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportADecimalWithoutACheck() {
        List<JavaSource[]> chain = List.<JavaSource[]>of(new JavaSource[] {new JavaSource(BAD)});

        assertThat(isDecimal(chain, List.of("Probe"), "alpha")).isTrue();
        assertThat(isDecimal(chain, List.of("Probe"), "name")).isFalse();
        assertThat(problem(chain, "alpha")).get().asString().contains("setAlpha(Double)", "doCheckAlpha");
        assertThat(problem(chain, "beta")).isEmpty();
    }

    static Set<String> textboxFields(final String jelly) {
        Set<String> fields = new LinkedHashSet<>();
        Matcher entry = TEXTBOX_ENTRY.matcher(jelly);
        while (entry.find()) {
            if (entry.group(3).contains("<f:textbox")) {
                fields.add(entry.group(2));
            }
        }
        return fields;
    }

    private static boolean isDecimal(final List<JavaSource[]> chain, final List<String> classNames, final String field) {
        for (int i = 0; i < chain.size(); i++) {
            Optional<String[]> setter = CheckboxSnippetConventionTest.setter(chain.get(i)[0], classNames.get(i), field);
            if (setter.isPresent()) {
                return setter.get()[0].matches("(?s).*\\b(java\\.lang\\.)?(Double|double|Float|float)\\s+\\w+\\s*");
            }
        }
        return false;
    }

    private static Optional<String> problem(final List<JavaSource[]> chain, final String field) {
        String capitalized = Character.toUpperCase(field.charAt(0)) + field.substring(1);
        boolean checked = chain.stream().anyMatch(source -> Pattern.compile("\\bdoCheck" + capitalized + "\\s*\\(")
                .matcher(source[0].code()).find());
        return checked ? Optional.empty() : Optional.of(("set%s(Double) reads an unreadable text as null without a word "
                + "(Stapler's DoubleConverter); add doCheck%s to the descriptor").formatted(capitalized, capitalized));
    }

    /** @return the class's source and its superclasses' in this project, nearest first */
    private static List<JavaSource[]> chain(final ProjectFiles project, final Path javaFile) {
        List<JavaSource[]> chain = new ArrayList<>();
        Path file = javaFile;
        String name = javaFile.getFileName().toString().replace(".java", "");
        for (int depth = 0; depth < 10 && Files.isRegularFile(file); depth++) {
            JavaSource source = new JavaSource(ProjectFiles.read(file));
            chain.add(new JavaSource[] {source});
            Optional<String> parent = source.superclass(name);
            if (parent.isEmpty()) {
                break;
            }
            String qualified = parent.get().contains(".") ? parent.get() : source.importOf(parent.get()).orElse(null);
            file = qualified == null ? file.resolveSibling(parent.get() + ".java")
                    : project.mainJava().resolve(qualified.replace('.', '/') + ".java");
            name = parent.get().substring(parent.get().lastIndexOf('.') + 1);
        }
        return chain;
    }

    /** @return the simple class names along the chain, the first the view's */
    private static List<String> classNames(final List<JavaSource[]> chain, final String first) {
        List<String> names = new ArrayList<>();
        String name = first;
        for (JavaSource[] source : chain) {
            names.add(name);
            name = source[0].superclass(name).map(n -> n.substring(n.lastIndexOf('.') + 1)).orElse(name);
        }
        return names;
    }
}
