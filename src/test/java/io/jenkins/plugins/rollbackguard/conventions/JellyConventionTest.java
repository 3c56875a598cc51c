package io.jenkins.plugins.rollbackguard.conventions;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every Jelly view under {@code src/main/resources} is well-formed XML and escapes by default
 * (style guide, section d).
 */
class JellyConventionTest {
    private static final String GOOD = """
            <?jelly escape-by-default='true'?>
            <j:jelly xmlns:j="jelly:core" xmlns:f="/lib/form">
              <f:entry title="${%name}" field="name"><f:textbox/></f:entry>
            </j:jelly>
            """;

    @Test
    void shouldFindTheViews() {
        assertThat(jellyFiles()).extracting(path -> path.getFileName().toString())
                .contains("index.jelly", "config.jelly");
    }

    @Test
    void shouldKeepEveryViewWellFormedAndEscapedByDefault() {
        ProjectFiles project = ProjectFiles.locate();

        List<String> problems = jellyFiles().stream()
                .flatMap(file -> Conventions.jellyProblems(project.name(file), ProjectFiles.read(file)).stream())
                .toList();

        assertThat(problems).isEmpty();
    }

    @Test
    void shouldAcceptAGoodView() {
        assertThat(Conventions.jellyProblems("good.jelly", GOOD)).isEmpty();
    }

    @Test
    void shouldReportAViewWithoutEscapeByDefault() {
        String unescaped = GOOD.replace("<?jelly escape-by-default='true'?>", "");

        assertThat(Conventions.jellyProblems("bad.jelly", unescaped))
                .singleElement().asString().contains("bad.jelly", "escape-by-default");
    }

    @Test
    void shouldReportEscapeByDefaultTurnedOff() {
        String unescaped = GOOD.replace("'true'", "'false'");

        assertThat(Conventions.jellyProblems("off.jelly", unescaped)).hasSize(1);
    }

    @Test
    void shouldReportMalformedXml() {
        String unclosed = GOOD.replace("</f:entry>", "");

        assertThat(Conventions.jellyProblems("broken.jelly", unclosed))
                .singleElement().asString().contains("broken.jelly", "not well-formed");
    }

    @Test
    void shouldReportAnUndeclaredTagLibrary() {
        String undeclared = GOOD.replace(" xmlns:f=\"/lib/form\"", "");

        assertThat(Conventions.jellyProblems("prefix.jelly", undeclared))
                .singleElement().asString().contains("not well-formed");
    }

    private static List<Path> jellyFiles() {
        return ProjectFiles.list(ProjectFiles.locate().mainResources(), ".jelly");
    }
}
