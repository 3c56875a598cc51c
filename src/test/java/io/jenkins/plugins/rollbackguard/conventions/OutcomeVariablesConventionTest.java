package io.jenkins.plugins.rollbackguard.conventions;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.*;

/**
 * The glue half of OutcomeVariablesITest (issue #17), on the sources: the reverting build's {@code RollbackTargetAction}
 * contributes {@code ROLLBACK_GUARD_IS_ROLLBACK} and {@code ROLLBACK_GUARD_TARGET_BUILD} to the whole build (a
 * Declarative {@code when} sees them), the block's outcome becomes build variables only through the engine's
 * {@code OutcomeVariables} (one definition of names and values), and an environment contribution does no I/O (Jenkins
 * calls it whenever it computes a build's environment, the CPS VM thread included). Proven on deliberately bad
 * snippets.
 */
class OutcomeVariablesConventionTest {
    private static final Pattern CONTRIBUTES = Pattern.compile("implements[^{]*\\bEnvironmentContributingAction\\b");
    private static final Pattern IO = Pattern.compile(
            "\\b(Files\\.|new\\s+File(Input|Output)Stream|getLedger\\(\\)|\\.save\\(\\)|FilePath|Ledger\\.open)");

    @Test
    void shouldContributeTheRevertingBuildsVariablesAndTheOutcomesFromTheEngine() {
        assertThat(ProjectFiles.problemsInMainSources(OutcomeVariablesConventionTest::problems)).isEmpty();
        assertThat(ProjectFiles.problemsInMainSources((file, source) -> file.endsWith("steps/RollbackTargetAction.java")
                && CONTRIBUTES.matcher(source.code()).find() && source.code().contains("GuardPreparation.IS_ROLLBACK")
                && source.code().contains("GuardPreparation.TARGET_BUILD") ? List.of(file) : List.of()))
                .as("the reverting build's action sets both variables for the whole build").hasSize(1);
        assertThat(ProjectFiles.problemsInMainSources((file, source) -> file.endsWith("WithRollbackGuardStepExecution.java")
                && source.code().contains("GuardOutcomeAction.record(") && source.code().contains("OutcomeVariables.of(")
                && source.code().contains("OutcomeVariables.facts(") ? List.of(file) : List.of()))
                .as("the step sets the variables and returns the facts, both from the engine").hasSize(1);
    }

    @Test
    void shouldFindAContributionThatReadsTheDiskOrNamesVariablesItself() {
        String bad = """
                class A extends InvisibleAction implements EnvironmentContributingAction {
                    public void buildEnvironment(Run<?, ?> run, EnvVars env) {
                        env.put(name, new LedgerFacade().getLedger().lastGood(e).toString());
                    }
                    void done(GuardOutcome outcome) {
                        GuardOutcomeAction.record(run, Map.of(name, outcome.result().name()));
                    }
                }
                """;
        String good = """
                class B extends InvisibleAction implements EnvironmentContributingAction {
                    public void buildEnvironment(Run<?, ?> run, EnvVars env) {
                        env.putAll(getVariables());
                    }
                }
                """;

        assertThat(problems("steps/A.java", new JavaSource(bad))).containsExactly(
                "steps/A.java: an environment contribution reads or writes (getLedger()); Jenkins computes a build's "
                        + "environment on any thread, the CPS VM thread included: hold the values in the action",
                "steps/A.java: sets an outcome's variables it named itself; take them from the engine's OutcomeVariables.of");
        assertThat(problems("steps/B.java", new JavaSource(good))).isEmpty();
    }

    static List<String> problems(final String file, final JavaSource source) {
        String code = source.code();
        List<String> problems = new ArrayList<>();
        if (CONTRIBUTES.matcher(code).find()) {
            var io = IO.matcher(code);
            if (io.find()) {
                problems.add(file + ": an environment contribution reads or writes (" + io.group(1).strip() + "); "
                        + "Jenkins computes a build's environment on any thread, the CPS VM thread included: hold the "
                        + "values in the action");
            }
        }
        if (code.contains("GuardOutcomeAction.record(") && !code.contains("OutcomeVariables.of(")) {
            problems.add(file + ": sets an outcome's variables it named itself; take them from the engine's "
                    + "OutcomeVariables.of");
        }
        return problems;
    }
}
