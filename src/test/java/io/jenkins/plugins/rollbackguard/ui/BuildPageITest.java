package io.jenkins.plugins.rollbackguard.ui;

import java.util.ArrayList;
import java.util.List;

import org.htmlunit.Page;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Job;
import hudson.model.Run;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;

import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the build pages of a Jenkins with the plugin installed answer: {@link RollbackPointActionFactory} is asked
 * for the actions of every build on every request below it (the build page, its side panel, {@code api/json},
 * {@code getDynamic}), for builds with a rollback point and without one, and must never ask the build for its actions
 * again (that recursed until {@link StackOverflowError}). A build with a point carries {@link RollbackPointAction}
 * exactly once.
 */
@WithJenkins
class BuildPageITest {
    private static final String ENVIRONMENT = "production";
    private static final String ACTION_CLASS = RollbackPointAction.class.getName();

    @Test
    void shouldAnswerTheFreestyleBuildPagesWithAndWithoutARollbackPoint(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild guarded = j.buildAndAssertSuccess(job);
        FreeStyleBuild plain = j.buildAndAssertSuccess(job);
        LedgerFixture.record(guarded, ENVIRONMENT, PointStatus.GOOD, "watch passed");

        assertActions(guarded, plain);
        assertPages(j, job, guarded, plain);
    }

    @Test
    void shouldAnswerThePipelineBuildPagesWithAndWithoutARollbackPoint(final JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "app");
        job.setDefinition(new CpsFlowDefinition("echo 'deployed'", true));
        WorkflowRun guarded = j.buildAndAssertSuccess(job);
        WorkflowRun plain = j.buildAndAssertSuccess(job);
        LedgerFixture.record(guarded, ENVIRONMENT, PointStatus.GOOD, "watch passed");

        assertActions(guarded, plain);
        assertPages(j, job, guarded, plain);
    }

    /** Asked directly, as plugins and views ask: the old factory threw StackOverflowError here. */
    private static void assertActions(final Run<?, ?> guarded, final Run<?, ?> plain) {
        assertThat(guarded.getAllActions()).filteredOn(RollbackPointAction.class::isInstance).hasSize(1);
        assertThat(guarded.getActions(RollbackPointAction.class)).singleElement()
                .extracting(RollbackPointAction::getEnvironment).isEqualTo(ENVIRONMENT);
        assertThat(guarded.getAction(RollbackPointAction.class)).isNotNull();

        assertThat(plain.getAllActions()).noneMatch(RollbackPointAction.class::isInstance);
        assertThat(plain.getActions(RollbackPointAction.class)).isEmpty();
        assertThat(plain.getAction(RollbackPointAction.class)).isNull();
    }

    private static void assertPages(final JenkinsRule j, final Job<?, ?> job, final Run<?, ?> guarded,
            final Run<?, ?> plain) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            assertStatus(wc, job.getUrl(), 200);

            assertStatus(wc, guarded.getUrl(), 200);
            Page point = assertStatus(wc, guarded.getUrl() + RollbackPointAction.URL_NAME + "/", 200);
            assertThat(point.getWebResponse().getContentAsString()).contains(ENVIRONMENT, "GOOD");
            JenkinsRule.JSONWebResponse pointJson = wc.getJSON(
                    guarded.getUrl() + RollbackPointAction.URL_NAME + "/api/json");
            assertThat(pointJson.getStatusCode()).isEqualTo(200);
            assertThat(pointJson.getJSONObject().getString("environment")).isEqualTo(ENVIRONMENT);

            JenkinsRule.JSONWebResponse guardedJson = wc.getJSON(guarded.getUrl() + "api/json");
            assertThat(guardedJson.getStatusCode()).isEqualTo(200);
            assertThat(actionsOf(guardedJson.getJSONObject())).as("rollback point actions in the build's api/json")
                    .containsExactly(ENVIRONMENT);

            assertStatus(wc, plain.getUrl(), 200);
            // below the build, through Run.getDynamic and every action: not found, rather than a broken page
            // Run.getDynamic answers 404 with a meta refresh to the build, which HtmlUnit follows: assertFails checks the
            // first response itself
            wc.assertFails(plain.getUrl() + RollbackPointAction.URL_NAME + "/", 404);
            JenkinsRule.JSONWebResponse plainJson = wc.getJSON(plain.getUrl() + "api/json");
            assertThat(plainJson.getStatusCode()).isEqualTo(200);
            assertThat(actionsOf(plainJson.getJSONObject())).isEmpty();
        }
    }

    private static Page assertStatus(final JenkinsRule.WebClient wc, final String url, final int status)
            throws Exception {
        Page page = wc.goTo(url, null);
        assertThat(page.getWebResponse().getStatusCode()).as("HTTP status of %s", url).isEqualTo(status);
        return page;
    }

    /** The environments of the rollback point actions that a build's {@code api/json} lists. */
    private static List<String> actionsOf(final JSONObject build) {
        List<String> environments = new ArrayList<>();
        JSONArray actions = build.getJSONArray("actions");
        for (int i = 0; i < actions.size(); i++) {
            JSONObject action = actions.optJSONObject(i);
            if (action != null && ACTION_CLASS.equals(action.optString("_class"))) {
                environments.add(action.optString("environment"));
            }
        }
        return environments;
    }
}
