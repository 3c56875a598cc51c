package io.jenkins.plugins.rollbackguard.conventions;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.*;

/**
 * The tripped build is kept as long as its point (issue #15): {@code Run.keepLog} saves the build, so the glue calls
 * it only in KeepGoodBuilds, and the step's trip path reaches KeepGoodBuilds only through the work pool, never on the
 * CPS VM thread that may end the step. The engine's KeptBuildsTest proves which builds are kept; this proves the
 * glue asks for it where it may. Each check is proven on a deliberately bad snippet.
 */
class KeptBuildsConventionTest {
    private static final Pattern KEEP_LOG = Pattern.compile("\\.keepLog\\s*\\(");
    private static final Pattern TRIPPED = Pattern.compile("KeptBuilds\\.tripped\\s*\\(");
    private static final Pattern ON_WORK_POOL = Pattern.compile(
            "WorkPool\\.executor\\(\\)\\.execute\\(\\s*\\(\\)\\s*->\\s*new\\s+KeepGoodBuilds\\(\\)\\.protect\\(");

    @Test
    void shouldKeepLogOnlyInKeepGoodBuildsAndKeepTrippedBuildsOnTheWorkPool() {
        assertThat(ProjectFiles.problemsInMainSources(KeptBuildsConventionTest::problems)).isEmpty();
        assertThat(ProjectFiles.problemsInMainSources((file, source) -> TRIPPED.matcher(source.code()).find()
                && file.endsWith("WithRollbackGuardStepExecution.java") ? List.of(file) : List.of()))
                .as("the Pipeline step keeps its tripped build").hasSize(1);
    }

    @Test
    void shouldFindKeepLogElsewhereAndATripKeptOnTheCallersThread() {
        String bad = """
                class S {
                    void done(GuardOutcome outcome) {
                        if (KeptBuilds.tripped(outcome.point())) {
                            new KeepGoodBuilds().protect(ledger, policy); // on the caller's thread
                        }
                        run.keepLog(true);
                    }
                }
                """;

        assertThat(problems("steps/S.java", new JavaSource(bad))).containsExactly(
                "steps/S.java: calls keepLog outside KeepGoodBuilds; it saves the build: keep builds through KeepGoodBuilds",
                "steps/S.java: keeps a tripped build outside WorkPool.executor(); keepLog saves the build and must not "
                        + "run on the CPS VM thread");
        assertThat(problems("steps/T.java", new JavaSource("""
                class T {
                    void done(GuardOutcome outcome) {
                        if (KeptBuilds.tripped(outcome.point())) { keep(policy()); }
                    }
                    private static void keep(Policy policy) {
                        WorkPool.executor().execute(() -> new KeepGoodBuilds().protect(ledger, policy));
                    }
                }
                """))).isEmpty();
    }

    static List<String> problems(final String file, final JavaSource source) {
        String code = source.code();
        List<String> problems = new ArrayList<>();
        if (KEEP_LOG.matcher(code).find() && !file.endsWith("steps/KeepGoodBuilds.java")) {
            problems.add(file + ": calls keepLog outside KeepGoodBuilds; it saves the build: keep builds through "
                    + "KeepGoodBuilds");
        }
        if (TRIPPED.matcher(code).find() && !ON_WORK_POOL.matcher(code).find()) {
            problems.add(file + ": keeps a tripped build outside WorkPool.executor(); keepLog saves the build "
                    + "and must not run on the CPS VM thread");
        }
        return problems;
    }
}
