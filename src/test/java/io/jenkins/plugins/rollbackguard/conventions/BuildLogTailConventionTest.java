package io.jenkins.plugins.rollbackguard.conventions;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.*;

/**
 * In Jenkins the deploy's output is the build log, and its tail is kept among the point's files for the evidence of a
 * trip (issue #15). Reading the log and writing the file is I/O, and the step hears the body's end on the CPS VM
 * thread: so every call of {@code BuildLogTail.keep} sits inside a task handed to an executor ({@code work()} or
 * {@code WorkPool.executor()}), and the Pipeline step makes it. The engine's TripEvidenceTest proves that a kept
 * {@code deploy-output.log} reaches the bundle, masked; this proves the glue writes it where it may. Proven on a
 * deliberately bad snippet.
 */
class BuildLogTailConventionTest {
    private static final Pattern KEEP = Pattern.compile("BuildLogTail\\.keep\\s*\\(");
    private static final Pattern EXECUTE = Pattern.compile("\\.execute\\s*\\(");

    @Test
    void shouldKeepTheBuildLogsTailOnlyInsideATaskOfAnExecutor() {
        assertThat(ProjectFiles.problemsInMainSources(BuildLogTailConventionTest::problems)).isEmpty();
        assertThat(ProjectFiles.problemsInMainSources((file, source) -> KEEP.matcher(source.code()).find()
                && file.endsWith("WithRollbackGuardStepExecution.java") ? List.of(file) : List.of()))
                .as("the Pipeline step keeps the log's tail").hasSize(1);
    }

    @Test
    void shouldFindTheLogKeptOnTheCallersThread() {
        String bad = """
                class S {
                    public void onSuccess(StepContext context, Object result) {
                        BuildLogTail.keep(run, dir); // on the CPS VM thread
                        work().execute(() -> log("ended"));
                    }
                }
                """;
        String good = """
                class T {
                    public void onSuccess(StepContext context, Object result) {
                        work().execute(() -> {
                            Run<?, ?> run = run();
                            store.pointFiles(id).ifPresent(dir -> BuildLogTail.keep(run, dir));
                        });
                    }
                }
                """;

        assertThat(problems("steps/S.java", new JavaSource(bad))).containsExactly(
                "steps/S.java: keeps the build log's tail outside a task of an executor; it reads the log and writes a "
                        + "file, which must not run on the CPS VM thread: hand it to work().execute(() -> ...)");
        assertThat(problems("steps/T.java", new JavaSource(good))).isEmpty();
    }

    static List<String> problems(final String file, final JavaSource source) {
        String code = source.code();
        List<String> problems = new ArrayList<>();
        Matcher keep = KEEP.matcher(code);
        while (keep.find()) {
            if (!insideExecute(code, keep.start())) {
                problems.add(file + ": keeps the build log's tail outside a task of an executor; it reads the log and "
                        + "writes a file, which must not run on the CPS VM thread: hand it to work().execute(() -> ...)");
                break;
            }
        }
        return problems;
    }

    /** Whether a position lies within the parentheses of an {@code .execute(} call that opens before it. */
    private static boolean insideExecute(final String code, final int at) {
        Matcher execute = EXECUTE.matcher(code);
        while (execute.find() && execute.end() <= at) {
            int depth = 1;
            for (int i = execute.end(); i < at && depth > 0; i++) {
                char c = code.charAt(i);
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            }
            if (depth > 0) {
                return true;
            }
        }
        return false;
    }
}
