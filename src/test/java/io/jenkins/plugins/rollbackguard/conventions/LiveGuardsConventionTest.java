package io.jenkins.plugins.rollbackguard.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A hard kill of a Pipeline build calls no step's {@code stop}: a guard that drives a machine must be known to
 * {@code LiveGuards}, whose run listener stops it when its build completes, and must leave it when it ends. The
 * twin of {@code WithRollbackGuardInterruptionITest.shouldAbortTheWatchWhenThePipelineIsKilled}.
 */
class LiveGuardsConventionTest {
    private static final String REGISTERED = """
            class E {
                private BodyDriver driver() {
                    driver = new BodyDriver(new Glue(), work(), launched, end);
                    LiveGuards.add(run, driver);
                    return driver;
                }
                private void end(Runnable r) { LiveGuards.remove(run, driver); r.run(); }
            }
            """;
    private static final String FORGOTTEN = """
            class E {
                private BodyDriver driver() {
                    driver = new BodyDriver(new Glue(), work(), launched, end);
                    return driver;
                }
            }
            """;

    @Test
    void shouldRegisterEveryMachineDriverOfAStepWithLiveGuards() {
        assertThat(ProjectFiles.problemsInMainSources(LiveGuardsConventionTest::problems)).isEmpty();
    }

    @Test
    void shouldCatchADriverThatIsNotRegistered() {
        assertThat(problems("E.java", new JavaSource(REGISTERED))).isEmpty();
        assertThat(problems("E.java", new JavaSource(FORGOTTEN))).hasSize(2)
                .allSatisfy(problem -> assertThat(problem).startsWith("E.java"));
    }

    private static List<String> problems(final String file, final JavaSource source) {
        String code = source.code();
        List<String> problems = new ArrayList<>();
        if (!file.contains("/engine/") && code.contains("new BodyDriver(")) {
            if (!code.contains("LiveGuards.add(")) {
                problems.add(file + ": builds a BodyDriver without LiveGuards.add: a killed build would leave it running");
            }
            if (!code.contains("LiveGuards.remove(")) {
                problems.add(file + ": never removes its BodyDriver from LiveGuards when it ends");
            }
        }
        return problems;
    }
}
