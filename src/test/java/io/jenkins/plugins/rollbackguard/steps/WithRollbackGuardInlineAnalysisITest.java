package io.jenkins.plugins.rollbackguard.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.Result;

import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;

/**
 * Issue 17: an inline probe with {@code failureLimit: 1} and a window judges as the same probe read from a policy file
 * by the CLI (its engine twin: InlineProbeTwinTest, run by .ci/run). One bad sample of five is tolerated, where the
 * Jenkins global default (failureLimit 0) would trip; two are not.
 */
@WithJenkins
class WithRollbackGuardInlineAnalysisITest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private static String deploy(final HealthServer service) {
        return """
                node {
                  if (currentBuild.getBuildCauses('io.jenkins.plugins.rollbackguard.steps.RollbackCause').isEmpty()) {
                    writeFile file: 'app.txt', text: "v${env.BUILD_NUMBER}"
                    archiveArtifacts 'app.txt'
                  }
                  withRollbackGuard(environment: '%s', probes: [http(name: 'health', url: '%s',
                      jsonPointer: '/rate', failIf: '< 0.9', interval: '1s', count: 5, failureLimit: 1,
                      window: '3 of 5')]) {
                    echo "deploying ${readFile 'app.txt'}"
                    %s
                  }
                }
                """.formatted(Pipelines.ENVIRONMENT, service.url(), service.deployStep());
    }

    @Test
    void shouldTolerateOneBadSampleAndTripOnTheSecond(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createJob(j, "app", deploy(service));
            j.buildAndAssertSuccess(job);

            // the bad answers come after the deploy (the body's deploy step): preflight reached v1 before it
            service.nextDeployAnswersBadly(1);
            WorkflowRun tolerated = j.buildAndAssertSuccess(job);

            assertThat(Pipelines.pointOf(tolerated.getNumber()).status()).isEqualTo(PointStatus.GOOD);

            service.nextDeployAnswersBadly(2);
            WorkflowRun tripped = j.buildAndAssertStatus(Result.FAILURE, job);
            j.waitUntilNoActivity();

            j.assertLogContains("failureLimit", tripped);
            assertThat(Pipelines.pointOf(tripped.getNumber()).status()).isEqualTo(PointStatus.REVERTED);
        }
    }
}
