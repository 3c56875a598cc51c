package io.jenkins.plugins.rollbackguard.steps;

import java.net.URL;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Item;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Queue;
import hudson.model.StringParameterDefinition;
import hudson.model.StringParameterValue;
import hudson.model.queue.QueueTaskFuture;
import hudson.model.queue.ScheduleResult;
import hudson.triggers.TimerTrigger;
import jenkins.model.Jenkins;

import io.jenkins.plugins.rollbackguard.config.RollbackPermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the class {@link RevertingBuilds} in Jenkins, through {@code rollbackTo}, the build page's button and
 * directly: a revert gets a queue item of its own (also beside a queued ordinary build, and on its own job without
 * concurrent builds, where {@code rollbackTo(wait: false)} answers with that item's id at once), only a person who
 * asked is named as the user who started it, and parameters added to the job after the target build get their
 * current defaults.
 */
@WithJenkins
class RevertingBuildsITest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private static final Pattern QUEUED = Pattern.compile("queued=(\\d+)");
    /** Long enough that the ordinary build cannot leave the queue by itself during the test. */
    private static final int QUIET_PERIOD = 600;
    private static final int TIMEOUT_MINUTES = 2;
    private static final String ROLLER = "alice";

    /**
     * Build 2 of a job without concurrent builds asks for a revert of its own job and must end: the revert can only
     * start after it. Before, {@code wait: false} waited for the revert to start, and so forever.
     */
    @Test
    void shouldReturnTheQueueIdWhenARevertOfItsOwnNonConcurrentJobIsQueued(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob app = Pipelines.createJob(j, "app", Pipelines.guardedDeploy(service, 1) + """
                    if (env.BUILD_NUMBER == '2') {
                      echo "queued=${rollbackTo(target: '1', environment: 'prod', wait: false)}"
                    }
                    """);
            app.setConcurrentBuild(false);
            j.buildAndAssertSuccess(app);

            // a deadlock shows as a TimeoutException here
            WorkflowRun asking = j.assertBuildStatusSuccess(app.scheduleBuild2(0).get(TIMEOUT_MINUTES, TimeUnit.MINUTES));
            j.waitUntilNoActivity();

            WorkflowRun revert = app.getBuildByNumber(3);
            assertThat(revert).as("the reverting build").isNotNull();
            j.assertBuildStatusSuccess(revert);
            assertThat(queueIdPrintedBy(j, asking)).as("rollbackTo answers the revert's queue item id")
                    .isEqualTo(revert.getQueueId());
            assertThat(revert.getStartTimeInMillis()).as("the revert starts after the build that asked for it")
                    .isGreaterThanOrEqualTo(asking.getStartTimeInMillis() + asking.getDuration());
            assertThat(revert.getAction(RollbackTargetAction.class).getTargetBuild()).isEqualTo(1);
            assertThat(revert.getCause(RollbackCause.class).getBadBuild()).isEqualTo(2);
            j.assertLogContains("deploying v1 rollback=true", revert);
            assertThat(app.getBuildByNumber(4)).as("one revert, no more").isNull();
        }
    }

    /**
     * An ordinary build waits in the queue (a quiet period) when a revert is scheduled. Before, the queue folded the
     * revert into it: one item, the revert's causes added to the ordinary build, its {@link RollbackTargetAction}
     * dropped, and the new code deployed at once in place of the old.
     */
    @Test
    void shouldQueueARevertAsAnItemOfItsOwnBesideAQueuedOrdinaryBuild(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob app = deployTwice(j, service);
            QueueTaskFuture<WorkflowRun> ordinaryBuild = app.scheduleBuild2(QUIET_PERIOD,
                    new CauseAction(new TimerTrigger.TimerTriggerCause()));
            assertThat(j.jenkins.getQueue().getItems(app)).hasSize(1);
            Queue.Item ordinary = j.jenkins.getQueue().getItem(app);

            Optional<Queue.Item> scheduled = RevertingBuilds.schedule(app.getBuildByNumber(1), app.getBuildByNumber(2),
                    Pipelines.ENVIRONMENT, Pipelines.pointOf(1).id(), "back to #1", null);

            assertThat(scheduled).as("the revert is queued").isPresent();
            Queue.Item revert = scheduled.get();
            assertThat(revert.getId()).as("a queue item of its own").isNotEqualTo(ordinary.getId());
            // the revert may already have left the queue (it has no quiet period); the ordinary build waits on
            assertThat(j.jenkins.getQueue().getItems(app)).as("the ordinary build is still queued")
                    .extracting(Queue.Item::getId).contains(ordinary.getId());
            assertThat(revert.getAction(RollbackTargetAction.class)).isNotNull();
            assertThat(ordinary.getAction(RollbackTargetAction.class)).isNull();
            assertThat(ordinary.getCauses()).noneMatch(RollbackCause.class::isInstance);

            Queue.Executable reverted = revert.getFuture().get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            assertThat(reverted).isInstanceOf(WorkflowRun.class);
            WorkflowRun revertBuild = j.assertBuildStatusSuccess((WorkflowRun) reverted);
            assertThat(revertBuild.getQueueId()).isEqualTo(revert.getId());
            assertThat(revertBuild.getAction(RollbackTargetAction.class).getTargetBuild()).isEqualTo(1);
            assertThat(revertBuild.getCause(RollbackCause.class).getBadBuild()).isEqualTo(2);
            j.assertLogContains("deploying v1 rollback=true", revertBuild);

            // an ordinary schedule still folds into the ordinary item, and ends its quiet period
            ScheduleResult now = j.jenkins.getQueue().schedule2(app, 0);
            assertThat(now.isCreated()).isFalse();
            assertThat(now.getItem()).isNotNull().extracting(Queue.Item::getId).isEqualTo(ordinary.getId());
            WorkflowRun ordinaryRun = j.assertBuildStatusSuccess(ordinaryBuild.get(TIMEOUT_MINUTES, TimeUnit.MINUTES));

            assertThat(ordinaryRun.getQueueId()).isEqualTo(ordinary.getId());
            assertThat(ordinaryRun.getAction(RollbackTargetAction.class)).isNull();
            assertThat(ordinaryRun.getCause(RollbackCause.class)).isNull();
            assertThat(ordinaryRun.getCause(TimerTrigger.TimerTriggerCause.class)).isNotNull();
            j.assertLogContains("deploying v" + ordinaryRun.getNumber() + " ", ordinaryRun);
        }
    }

    /**
     * A build without a {@code QueueItemAuthenticator} runs as SYSTEM: its revert names no user (before: "Started by
     * user SYSTEM"). A person who presses the build page's button is named.
     */
    @Test
    void shouldNameOnlyAPersonAsTheUserWhoStartedTheRevert(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob app = deployTwice(j, service);
            WorkflowJob ops = Pipelines.createJob(j, "ops",
                    "rollbackTo(target: '1', environment: 'prod', job: 'app', wait: true)");

            j.buildAndAssertSuccess(ops);

            WorkflowRun bySystem = app.getBuildByNumber(3);
            assertThat(bySystem.getCause(RollbackCause.class).getReason()).startsWith("rollbackTo in ops #1");
            assertThat(bySystem.getCause(Cause.UserIdCause.class)).as("no user started it").isNull();
            j.assertLogNotContains("Started by user", bySystem);

            secure(j, app);
            try (JenkinsRule.WebClient wc = j.createWebClient().login(ROLLER)) {
                WebRequest post = new WebRequest(new URL(j.getURL(), app.getBuildByNumber(1).getUrl()
                        + "rollback-point/rollback"), HttpMethod.POST);
                wc.addCrumb(post);
                wc.getPage(post);
            }
            j.waitUntilNoActivity();

            WorkflowRun byPerson = app.getBuildByNumber(4);
            assertThat(byPerson).as("the revert of the button").isNotNull();
            assertThat(byPerson.getCause(RollbackCause.class)).isNotNull();
            assertThat(byPerson.getCause(Cause.UserIdCause.class)).isNotNull()
                    .extracting(Cause.UserIdCause::getUserId).isEqualTo(ROLLER);
        }
    }

    /**
     * REGION was added to the job after the target build. Before, the revert got only the target's values: REGION was
     * missing, and Jenkins fills in defaults only when no values are given at all.
     */
    @Test
    void shouldGiveParametersAddedAfterTheTargetBuildTheirDefaults(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob app = Pipelines.createJob(j, "app", """
                    echo "params VERSION=${params.VERSION} REGION=${params.REGION}"
                    """ + Pipelines.guardedDeploy(service, 1));
            app.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("VERSION", "1.0")));
            j.assertBuildStatusSuccess(app.scheduleBuild2(0,
                    new ParametersAction(new StringParameterValue("VERSION", "1.1"))));
            app.removeProperty(ParametersDefinitionProperty.class);
            app.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("VERSION", "1.0"),
                    new StringParameterDefinition("REGION", "eu")));
            j.assertBuildStatusSuccess(app.scheduleBuild2(0, new ParametersAction(
                    new StringParameterValue("VERSION", "1.2"), new StringParameterValue("REGION", "us"))));
            WorkflowJob ops = Pipelines.createJob(j, "ops",
                    "rollbackTo(target: '1', environment: 'prod', job: 'app', wait: true)");

            j.buildAndAssertSuccess(ops);

            WorkflowRun revert = app.getBuildByNumber(3);
            assertThat(revert.getAction(RollbackTargetAction.class).getTargetBuild()).isEqualTo(1);
            ParametersAction parameters = revert.getAction(ParametersAction.class);
            assertThat(parameters).isNotNull();
            assertThat(parameters.getParameter("VERSION")).as("the target's own value").isNotNull()
                    .extracting(ParameterValue::getValue).isEqualTo("1.1");
            assertThat(parameters.getParameter("REGION")).as("the default of the parameter added since").isNotNull()
                    .extracting(ParameterValue::getValue).isEqualTo("eu");
            j.assertLogContains("params VERSION=1.1 REGION=eu", revert);
        }
    }

    private static long queueIdPrintedBy(final JenkinsRule j, final WorkflowRun run) throws Exception {
        Matcher matcher = QUEUED.matcher(JenkinsRule.getLog(run));
        assertThat(matcher.find()).as("rollbackTo printed its answer").isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static WorkflowJob deployTwice(final JenkinsRule j, final HealthServer service) throws Exception {
        WorkflowJob app = Pipelines.createDeployJob(j, service, 1);
        j.buildAndAssertSuccess(app);
        j.buildAndAssertSuccess(app);
        return app;
    }

    /** alice may read and roll back the job. */
    private static void secure(final JenkinsRule j, final Item job) {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to(ROLLER)
                .grant(Item.READ, RollbackPermissions.ROLLBACK).onItems(job).to(ROLLER));
    }
}
