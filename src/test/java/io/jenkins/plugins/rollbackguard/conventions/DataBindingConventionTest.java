package io.jenkins.plugins.rollbackguard.conventions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every {@code config.jelly} binds to its class: its fields are the class's data-bound properties, and
 * each property has a field and a help file (style guide, sections c and d). The class is found by the view's
 * folder: {@code resources/a/b/Foo/config.jelly} belongs to {@code java/a/b/Foo.java}, and a folder
 * {@code Outer$Inner} to the nested class {@code Inner} in {@code Outer.java}.
 */
class DataBindingConventionTest {
    private static final String BEAN = """
            package x;
            /** A bean; @DataBoundSetter in a comment does not count. */
            public class Bean implements Describable<Bean> {
                private final String url;
                @DataBoundSetter private String token = "{ not a brace }";
                @DataBoundConstructor
                public Bean(@NonNull final String url, final Map<String, List<String>> headers) { this.url = url; }
                @DataBoundSetter
                public void setEvents(final String events) { }
                public static class DescriptorImpl extends Descriptor<Bean> {
                    @DataBoundSetter public void setHidden(String h) { }
                }
            }
            """;

    @Test
    void shouldBindEveryViewToItsClass() {
        ProjectFiles project = ProjectFiles.locate();
        List<Path> views = configViews(project);
        List<String> problems = new ArrayList<>();

        views.forEach(view -> problems.addAll(problemsOf(project, view)));

        assertThat(views).as("config.jelly views").hasSizeGreaterThanOrEqualTo(2);
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReadBoundPropertiesOfTheNamedClassOnly() {
        JavaSource source = new JavaSource(BEAN);

        assertThat(source.boundProperties("Bean")).containsExactlyInAnyOrder("url", "headers", "events", "token");
        assertThat(source.boundProperties("DescriptorImpl")).containsExactly("hidden");
    }

    @Test
    void shouldFindTheSuperclassAndItsImport() {
        JavaSource child = new JavaSource("""
                package x;
                import a.b.Base;
                /** extends Other in a comment does not count. */
                public class Child<T extends Comparable<T>> extends Base implements Describable<Child<T>> {
                    @DataBoundConstructor public Child(String host) { super(); }
                }
                class Plain implements Runnable { }
                """);

        assertThat(child.superclass("Child")).contains("Base");
        assertThat(child.importOf("Base")).contains("a.b.Base");
        assertThat(child.superclass("Plain")).isEmpty();
        assertThat(child.importOf("Other")).isEmpty();
    }

    @Test
    void shouldCountTheSettersOfSuperclassesInTheProject(@TempDir final Path root) throws IOException {
        Path packageDir = Files.createDirectories(root.resolve("src/main/java/x"));
        Files.writeString(packageDir.resolve("Child.java"), """
                package x;
                public class Child extends Base {
                    @DataBoundConstructor public Child(String host) { super(); }
                }
                """);
        Files.writeString(packageDir.resolve("Base.java"), """
                package x;
                public abstract class Base extends Object {
                    @DataBoundSetter public void setPort(int port) { }
                }
                """);

        Set<String> properties = boundPropertiesWithInherited(ProjectFiles.at(root), packageDir.resolve("Child.java"),
                "Child");

        assertThat(properties).containsExactly("host", "port");
    }

    @Test
    void shouldReportAFieldWithoutProperty() {
        List<String> problems = Conventions.bindingProblems("Bean/config.jelly", Set.of("url", "typo"),
                Set.of("url"), Set.of("help-url.html"));

        assertThat(problems).singleElement().asString().contains("Bean/config.jelly", "typo");
    }

    @Test
    void shouldReportAPropertyWithoutFieldOrHelp() {
        List<String> problems = Conventions.bindingProblems("Bean/config.jelly", Set.of("url"),
                Set.of("url", "events"), Set.of("help-url.html"));

        assertThat(problems).hasSize(2).allMatch(problem -> problem.contains("events"))
                .anyMatch(problem -> problem.contains("help-events.html"));
    }

    @Test
    void shouldReadTheFieldsOfAView() {
        String view = "<f:entry field=\"url\"><f:textbox/></f:entry><f:repeatableProperty field='hooks'/>";

        assertThat(Conventions.viewFields(view)).containsExactly("url", "hooks");
    }

    private static List<String> problemsOf(final ProjectFiles project, final Path view) {
        Path folder = view.getParent();
        String[] names = folder.getFileName().toString().split("\\$");
        Path packageDir = project.mainJava().resolve(project.mainResources().relativize(folder.getParent()));
        Path javaFile = packageDir.resolve(names[0] + ".java");
        if (!Files.isRegularFile(javaFile)) {
            return List.of(project.name(view) + ": no class " + project.name(javaFile) + " for this view");
        }
        Set<String> properties = boundPropertiesWithInherited(project, javaFile, names[names.length - 1]);
        Set<String> fields = Conventions.viewFields(ProjectFiles.read(view));
        return Conventions.bindingProblems(project.name(view), fields, properties, siblings(folder));
    }

    /**
     * Lists the bound properties of a class and of its superclasses in this project, as Jenkins binds inherited
     * setters too: the superclass is looked for in the same package, then through a single-type import.
     */
    static Set<String> boundPropertiesWithInherited(final ProjectFiles project, final Path javaFile,
            final String simpleName) {
        Set<String> properties = new LinkedHashSet<>();
        Path file = javaFile;
        String name = simpleName;
        for (int depth = 0; depth < 10 && Files.isRegularFile(file); depth++) {
            JavaSource source = new JavaSource(ProjectFiles.read(file));
            properties.addAll(source.boundProperties(name));
            Optional<String> parent = source.superclass(name);
            if (parent.isEmpty()) {
                break;
            }
            String qualified = parent.get().contains(".") ? parent.get() : source.importOf(parent.get()).orElse(null);
            file = qualified == null ? file.resolveSibling(parent.get() + ".java")
                    : project.mainJava().resolve(qualified.replace('.', '/') + ".java");
            name = parent.get().substring(parent.get().lastIndexOf('.') + 1);
        }
        return properties;
    }

    private static Set<String> siblings(final Path folder) {
        Set<String> names = new TreeSet<>();
        ProjectFiles.list(folder, ".html").stream()
                .filter(file -> file.getParent().equals(folder))
                .forEach(file -> names.add(file.getFileName().toString()));
        return names;
    }

    private static List<Path> configViews(final ProjectFiles project) {
        return ProjectFiles.list(project.mainResources(), "config.jelly").stream()
                .filter(file -> file.getFileName().toString().equals("config.jelly"))
                .toList();
    }
}
