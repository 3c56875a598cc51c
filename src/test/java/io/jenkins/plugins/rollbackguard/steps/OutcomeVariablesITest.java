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

/**
 * What {@code withRollbackGuard} leaves to the steps after it (issue #17): its return value, the per-environment
 * variables of two blocks in one build, and a reverting build's variables outside the block. Twins run by .ci/run:
 * {@code OutcomeVariablesTest} (the engine's names and values) and {@code OutcomeVariablesConventionTest} (the glue
 * sets them from the engine, and the reverting build's action contributes its variables).
 */
@WithJenkins
class OutcomeVariablesITest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @Test
    void shouldKeepTwoGuardedBlocksVariablesApartAndReturnTheOutcome(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createJob(j, "two", """
                    def probe = { env -> [http(name: 'health', url: '%s', jsonPointer: '/rate', failIf: '< 0.9',
                        interval: '1s', count: 2)] }
                    def shop = withRollbackGuard(environment: 'shop-prod', probes: probe('shop')) { echo 'shop' }
                    withRollbackGuard(environment: 'erp', probes: probe('erp')) { echo 'erp' }
                    echo "returned ${shop.status} point ${shop.point}"
                    echo "shop ${env.ROLLBACK_GUARD_SHOP_PROD_STATUS} #${env.ROLLBACK_GUARD_SHOP_PROD_POINT}"
                    echo "erp ${env.ROLLBACK_GUARD_ERP_STATUS} #${env.ROLLBACK_GUARD_ERP_POINT}"
                    """.formatted(service.url()));

            WorkflowRun build = j.buildAndAssertSuccess(job);

            j.assertLogContains("returned GOOD point 1", build);
            j.assertLogContains("shop GOOD #1", build);
            j.assertLogContains("erp GOOD #1", build);
            assertThat(build.getAction(GuardOutcomeAction.class).getVariables())
                    .containsEntry("ROLLBACK_GUARD_SHOP_PROD_STATUS", "GOOD")
                    .containsEntry("ROLLBACK_GUARD_ERP_STATUS", "GOOD");
        }
    }

    @Test
    void shouldSetTheRevertingBuildsVariablesOutsideTheBlock(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob job = Pipelines.createJob(j, "app", """
                    echo "before the block: rollback=${env.ROLLBACK_GUARD_IS_ROLLBACK} target=${env.ROLLBACK_GUARD_TARGET_BUILD}"
                    """ + Pipelines.guardedDeploy(service, 2));
            j.buildAndAssertSuccess(job);
            service.nextDeployAnswersBadly(1); // after build #2's deploy: its first watch sample trips

            j.buildAndAssertStatus(Result.FAILURE, job);
            j.waitUntilNoActivity();

            WorkflowRun revert = job.getBuildByNumber(3);
            j.assertBuildStatusSuccess(revert);
            j.assertLogContains("before the block: rollback=true target=1", revert);
            j.assertLogContains("before the block: rollback=null target=null", job.getBuildByNumber(1));
        }
    }
}
