package io.jenkins.plugins.rollbackguard.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.MockQueueItemAuthenticator;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.Item;
import hudson.model.Result;
import hudson.model.User;
import jenkins.model.Jenkins;
import jenkins.security.QueueItemAuthenticatorConfiguration;

import io.jenkins.plugins.rollbackguard.config.RollbackPermissions;

/** Tests the class {@link RollbackToStep} in Jenkins: targets, waiting, permissions. */
@WithJenkins
class RollbackToStepITest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @Test
    void shouldRollBackToABuildNumberAndWaitForTheResult(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob app = deployTwice(j, service);
            WorkflowJob ops = Pipelines.createJob(j, "ops",
                    "echo \"result=${rollbackTo(target: '1', environment: 'prod', job: 'app', wait: true)}\"");

            WorkflowRun run = j.buildAndAssertSuccess(ops);

            j.assertLogContains("result=SUCCESS", run);
            WorkflowRun revert = app.getBuildByNumber(3);
            assertThat(revert.getAction(RollbackTargetAction.class).getTargetBuild()).isEqualTo(1);
            j.assertLogContains("deploying v1 rollback=true", revert);
            assertThat(revert.getCause(RollbackCause.class).getBadBuild()).isEqualTo(2);
        }
    }

    /** Without {@code wait}, the step answers the reverting build's queue item id as soon as it is queued. */
    @Test
    void shouldRollBackToTheLastGoodPointAndReturnTheQueueId(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob app = deployTwice(j, service);
            WorkflowJob ops = Pipelines.createJob(j, "ops",
                    "echo \"number=${rollbackTo(target: 'lastGood', environment: 'prod', job: 'app')}\"");

            WorkflowRun run = j.buildAndAssertSuccess(ops);
            j.waitUntilNoActivity();

            WorkflowRun revert = app.getBuildByNumber(3);
            assertThat(revert.getAction(RollbackTargetAction.class).getTargetBuild()).isEqualTo(1);
            Matcher number = Pattern.compile("number=(\\d+)").matcher(JenkinsRule.getLog(run));
            assertThat(number.find()).as("rollbackTo printed its answer").isTrue();
            assertThat(Long.parseLong(number.group(1))).as("the queue item id of the reverting build")
                    .isEqualTo(revert.getQueueId());
        }
    }

    @Test
    void shouldRefuseToWaitForItsOwnJobWhenBuildsCannotRunConcurrently(final JenkinsRule j) throws Exception {
        WorkflowJob ops = Pipelines.createJob(j, "ops", "rollbackTo(target: 'lastGood', environment: 'prod', wait: true)");
        ops.setConcurrentBuild(false);

        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, ops);

        j.assertLogContains("does not allow concurrent builds", run);
        assertThat(ops.getLastBuild().getNumber()).isEqualTo(1);
    }

    /** The build runs as alice (a queue-item authenticator), who may build but not roll back. */
    @Test
    void shouldDenyARollbackWithoutTheRollbackPermission(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob app = deployTwice(j, service);
            WorkflowJob ops = Pipelines.createJob(j, "ops",
                    "rollbackTo(target: '1', environment: 'prod', job: 'app')");
            j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
            j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                    .grant(Jenkins.READ, Item.READ, Item.BUILD, Item.DISCOVER).everywhere().to("alice")
                    .grant(RollbackPermissions.ROLLBACK).everywhere().to("bob"));
            QueueItemAuthenticatorConfiguration.get().getAuthenticators()
                    .add(new MockQueueItemAuthenticator().authenticate("ops", User.getById("alice", true).impersonate2()));

            WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, ops);

            j.assertLogContains("alice lacks the", run);
            assertThat(app.getLastBuild().getNumber()).as("nothing was scheduled").isEqualTo(2);
        }
    }

    private static WorkflowJob deployTwice(final JenkinsRule j, final HealthServer service) throws Exception {
        WorkflowJob app = Pipelines.createDeployJob(j, service, 1);
        j.buildAndAssertSuccess(app);
        j.buildAndAssertSuccess(app);
        return app;
    }
}
