package io.jenkins.plugins.rollbackguard.conventions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every localized text the code and the views use is defined (style guide, section d): each
 * {@code Messages.Foo_bar(…)} or {@code Messages._Foo_bar(…)} of one of our packages has a key {@code Foo.bar} in
 * that package's {@code Messages.properties}, and each {@code ${%key}} of a view is in the view's sibling
 * {@code .properties} (config.jelly reads config.properties).
 */
class MessagesConventionTest {
    private static final String OUR_PACKAGES = "io.jenkins.plugins.rollbackguard";

    @Test
    void shouldDefineEveryMessageTheCodeUses() {
        ProjectFiles project = ProjectFiles.locate();
        List<String> problems = new ArrayList<>();
        int calls = 0;

        for (Path file : ProjectFiles.list(project.mainJava(), ".java")) {
            Map<String, Set<String>> used = Conventions.messagesCalls(new JavaSource(ProjectFiles.read(file)));
            for (Map.Entry<String, Set<String>> entry : used.entrySet()) {
                if (entry.getKey().startsWith(OUR_PACKAGES)) {
                    calls += entry.getValue().size();
                    problems.addAll(Conventions.missingMessages(project.name(file), entry.getValue(),
                            messagesOf(project, entry.getKey())));
                }
            }
        }

        assertThat(calls).as("Messages calls found").isPositive();
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldDefineEveryKeyTheViewsUse() {
        ProjectFiles project = ProjectFiles.locate();
        List<String> problems = new ArrayList<>();

        for (Path view : ProjectFiles.list(project.mainResources(), ".jelly")) {
            Set<String> keys = Conventions.jellyKeys(ProjectFiles.read(view));
            problems.addAll(Conventions.missingKeys(project.name(view), keys, siblingProperties(view)));
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void shouldNotUseSingleApostrophes() {
        ProjectFiles project = ProjectFiles.locate();

        List<String> problems = ProjectFiles.list(project.mainResources(), ".properties").stream()
                .flatMap(file -> Conventions.apostropheProblems(project.name(file),
                        Conventions.properties(ProjectFiles.read(file))).stream())
                .toList();

        assertThat(problems).isEmpty();
    }

    @Test
    void shouldFindMessagesCallsByImportQualifierAndPackage() {
        JavaSource source = new JavaSource("""
                package a.b;
                import c.d.Messages;
                class X {
                    String s = Messages.Foo_bar() + Messages._Foo_baz(1) + e.f.Messages.Other_key();
                    // Messages.In_comment()
                    String t = "Messages.In_string()";
                }
                """);

        assertThat(Conventions.messagesCalls(source))
                .containsOnlyKeys("c.d", "e.f")
                .containsEntry("c.d", Set.of("Foo_bar", "Foo_baz"))
                .containsEntry("e.f", Set.of("Other_key"));
    }

    @Test
    void shouldReportAMissingMessage() {
        Properties messages = Conventions.properties("Foo.bar=Text\nFoo.Baz.Qux=Other {0}\n");

        assertThat(Conventions.missingMessages("X.java", Set.of("Foo_bar", "Foo_Baz_Qux", "Foo_missing"), messages))
                .singleElement().asString().contains("X.java", "Foo_missing");
    }

    @Test
    void shouldReportAMissingViewKey() {
        Set<String> keys = Conventions.jellyKeys("<f:entry title=\"${%title}\"/><f:entry title=\"${%other(x)}\"/>");

        assertThat(keys).containsExactly("other", "title");
        assertThat(Conventions.missingKeys("v.jelly", keys, Conventions.properties("title=Title")))
                .singleElement().asString().contains("other");
    }

    @Test
    void shouldReportASingleApostrophe() {
        Properties texts = Conventions.properties("good=It''s fine\nbad=It's gone {0}\n");

        assertThat(Conventions.apostropheProblems("Messages.properties", texts))
                .singleElement().asString().contains("bad");
    }

    private static Properties messagesOf(final ProjectFiles project, final String pkg) {
        Path file = project.mainResources().resolve(pkg.replace('.', '/')).resolve("Messages.properties");
        return Files.isRegularFile(file) ? Conventions.properties(ProjectFiles.read(file)) : new Properties();
    }

    private static Properties siblingProperties(final Path view) {
        String name = view.getFileName().toString();
        Path file = view.resolveSibling(name.substring(0, name.length() - ".jelly".length()) + ".properties");
        return Files.isRegularFile(file) ? Conventions.properties(ProjectFiles.read(file)) : new Properties();
    }
}
