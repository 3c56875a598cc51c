package io.jenkins.plugins.rollbackguard.conventions;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.*;

/**
 * Source-level checks of what the glue does with Jenkins calls whose behaviour a type check cannot see (the review
 * of the glue against the real Jenkins sources found each of these): transient action factories that recurse,
 * freestyle results judged against SUCCESS, reverting builds folded into a queued build. Each check is proven on a
 * deliberately bad snippet.
 */
class JenkinsBehaviourConventionTest {
    @Test
    void shouldNeverAskTheTargetOfATransientActionFactoryForActions() {
        assertThat(problemsInMainSources(Conventions::actionFactoryProblems)).isEmpty();
    }

    @Test
    void shouldFindAFactoryThatAsksItsTargetForActions() {
        String bad = """
                package x;
                @Extension
                public class F extends TransientActionFactory<Run> {
                    // getActions( in a comment is fine
                    String label = "getAllActions()";
                    @Override
                    public Collection<? extends Action> createFor(@NonNull final Run target) {
                        if (!target.getActions(MyAction.class).isEmpty()) {
                            return List.of();
                        }
                        return List.of(new MyAction(target.getAction(Other.class)));
                    }
                }
                class NotAFactory extends Something {
                    void fine(Run run) { run.getActions(MyAction.class); }
                }
                """;

        assertThat(Conventions.actionFactoryProblems("F.java", new JavaSource(bad))).containsExactly(
                "F.java: F calls getActions() on its target; the factories are asked again and recurse",
                "F.java: F calls getAction() on its target; the factories are asked again and recurse");
        assertThat(Conventions.actionFactoryProblems("G.java", new JavaSource("""
                public class G extends jenkins.model.TransientActionFactory<Job> {
                    public Collection<? extends Action> createFor(Job target) { return target.getAllActions(); }
                }
                """))).hasSize(1);
    }

    private static List<String> problemsInMainSources(final BiFunction<String, JavaSource, List<String>> check) {
        ProjectFiles project = ProjectFiles.locate();
        List<Path> sources = ProjectFiles.list(project.mainJava(), ".java");
        assertThat(sources).as("main sources").isNotEmpty();
        return sources.stream()
                .flatMap(file -> check.apply(project.name(file), new JavaSource(ProjectFiles.read(file))).stream())
                .toList();
    }
}
