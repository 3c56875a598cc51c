package io.jenkins.plugins.rollbackguard.conventions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Since 2026-12-01 a guarded deploy samples its probes before the deploy: preflight reaches each once, baselines take
 * theirs. A test service scripted to answer badly "the next n times" gives those answers to preflight and the
 * baselines, and the deploy it meant to fail passes (WithRollbackGuardStepITest's trip would have). So an ITest that
 * scripts bad answers ties them to the deploy: it calls {@code nextDeployAnswersBadly} (the health server answers
 * badly once the version it runs changed) and its Pipeline deploys through the server ({@code deployStep()}, also in
 * {@code Pipelines.guardedDeploy}/{@code createDeployJob}), or its freestyle deploy step calls {@code deployed()}.
 * Counting answers from any other moment ({@code unhealthyFor}, a counter set before the build) is refused. Proven
 * on deliberately bad snippets.
 */
class ScriptedHealthConventionTest {
    private static final Pattern NEXT_DEPLOY = Pattern.compile("\\.nextDeployAnswersBadly\\s*\\(");
    private static final Pattern DEPLOYS = Pattern.compile(
            "\\.deployStep\\s*\\(|Pipelines\\.(?:guardedDeploy|createDeployJob)\\s*\\(|\\.deployed\\s*\\(");
    private static final Pattern COUNTED_FROM_NOW = Pattern.compile("\\.unhealthyFor\\s*\\(");

    @Test
    void shouldTieEveryScriptedBadAnswerToTheDeploy() {
        ProjectFiles project = ProjectFiles.locate();
        List<String> problems = new ArrayList<>();
        int scripted = 0;
        for (Path itest : ProjectFiles.list(project.root().resolve("src/test/java"), "ITest.java")) {
            String code = new JavaSource(ProjectFiles.read(itest)).code();
            scripted += NEXT_DEPLOY.matcher(code).results().count();
            problems.addAll(problems(project.name(itest), code));
        }

        assertThat(scripted).as("ITests that script bad answers").isGreaterThanOrEqualTo(4);
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportBadAnswersCountedFromBeforeTheDeploy() {
        String counted = """
                class TripITest {
                    void should(JenkinsRule j) {
                        WorkflowJob job = Pipelines.createJob(j, "app", script(service.url()));
                        service.unhealthyFor(1); // preflight takes it
                        j.buildAndAssertStatus(Result.FAILURE, job);
                    }
                }
                """;
        String undeployed = """
                class OtherITest {
                    void should(JenkinsRule j) {
                        WorkflowJob job = Pipelines.createJob(j, "app", script(service.url()));
                        service.nextDeployAnswersBadly(1); // nothing deploys: it never answers badly
                    }
                }
                """;
        String tied = """
                class GoodITest {
                    void should(JenkinsRule j) {
                        WorkflowJob job = Pipelines.createDeployJob(j, service, 2);
                        service.nextDeployAnswersBadly(1);
                    }
                }
                """;

        assertThat(problems("TripITest.java", new JavaSource(counted).code())).containsExactly(
                "TripITest.java: counts bad answers from before the deploy (unhealthyFor), so preflight and baselines "
                        + "take them: script them with nextDeployAnswersBadly and deploy through the server");
        assertThat(problems("OtherITest.java", new JavaSource(undeployed).code())).containsExactly(
                "OtherITest.java: scripts bad answers for the next deploy, but nothing deploys through the server: "
                        + "put service.deployStep() in the guarded body (or use Pipelines.guardedDeploy)");
        assertThat(problems("GoodITest.java", new JavaSource(tied).code())).isEmpty();
    }

    static List<String> problems(final String file, final String code) {
        List<String> problems = new ArrayList<>();
        if (COUNTED_FROM_NOW.matcher(code).find()) {
            problems.add(file + ": counts bad answers from before the deploy (unhealthyFor), so preflight and "
                    + "baselines take them: script them with nextDeployAnswersBadly and deploy through the server");
        }
        if (NEXT_DEPLOY.matcher(code).find() && !DEPLOYS.matcher(code).find()) {
            problems.add(file + ": scripts bad answers for the next deploy, but nothing deploys through the server: "
                    + "put service.deployStep() in the guarded body (or use Pipelines.guardedDeploy)");
        }
        return problems;
    }
}
