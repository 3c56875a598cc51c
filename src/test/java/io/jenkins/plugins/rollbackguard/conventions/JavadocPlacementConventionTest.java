package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * A doc comment stands before a declaration's annotations: one written after an annotation is no doc comment to
 * javadoc, and the annotation belongs to the declaration below the comment, not the one above it (the review found a
 * {@code @CheckForNull} meant for a method returning null moved onto the next method, which returns an
 * {@code Optional}, when a method was inserted between them). Proven on a deliberately bad snippet.
 */
class JavadocPlacementConventionTest {
    /** An annotation alone on its line, then a doc comment. */
    private static final Pattern ANNOTATION_THEN_DOC = Pattern.compile(
            "(?m)^[ \\t]*(@[\\w.]+(?:\\([^)\\n]*\\))?)[ \\t]*\\R[ \\t]*/\\*\\*");

    @Test
    void shouldPutEveryDocCommentBeforeTheAnnotations() {
        ProjectFiles project = ProjectFiles.locate();
        List<String> problems = new ArrayList<>();
        for (Path file : ProjectFiles.list(project.mainJava(), ".java")) {
            problems.addAll(problems(project.name(file), ProjectFiles.read(file)));
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void shouldFindADocCommentAfterAnAnnotation() {
        String bad = """
                final class PolicyResolver {
                    @CheckForNull
                    /**
                     * Says which values came from the global configuration.
                     */
                    Optional<String> globalDefaultsTaken() {
                        return taken;
                    }

                    /** Fine: the doc comment first. */
                    @CheckForNull
                    private Policy file(final String path) {
                        return null;
                    }
                }
                """;

        assertThat(problems("P.java", bad)).containsExactly(
                "P.java:2: @CheckForNull stands before a doc comment; put the comment first, the annotation on the "
                        + "declaration it is meant for");
    }

    static List<String> problems(final String file, final String text) {
        List<String> problems = new ArrayList<>();
        Matcher found = ANNOTATION_THEN_DOC.matcher(text);
        while (found.find()) {
            int line = (int) text.substring(0, found.start(1)).chars().filter(c -> c == '\n').count() + 1;
            problems.add(file + ":" + line + ": " + found.group(1) + " stands before a doc comment; put the comment "
                    + "first, the annotation on the declaration it is meant for");
        }
        return problems;
    }
}
