package io.jenkins.plugins.rollbackguard.ui;

import java.net.URL;

import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;

import io.jenkins.plugins.rollbackguard.config.RollbackPermissions;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.steps.RollbackCause;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the class {@link RollbackPointAction} in Jenkins: the build page, the button and its permission checks,
 * {@code /api/json}, and escaping of text from the ledger.
 */
@WithJenkins
class RollbackPointActionITest {
    private static final String ENVIRONMENT = "production";
    private static final String ROLLER = "alice";
    private static final String READER = "bob";
    private static final String XSS = "<img src=x onerror=alert(1)>";

    @Test
    void shouldShowThePointAndTheButtonToUsersWithTheRollbackPermission(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild good = j.buildAndAssertSuccess(job);
        FreeStyleBuild bad = j.buildAndAssertSuccess(job);
        LedgerFixture.record(good, ENVIRONMENT, PointStatus.GOOD, "watch passed");
        LedgerFixture.record(bad, ENVIRONMENT, PointStatus.BAD, "error-rate > 5%");
        secure(j, job);

        try (JenkinsRule.WebClient wc = j.createWebClient().login(ROLLER)) {
            HtmlPage page = wc.getPage(good, RollbackPointAction.URL_NAME);
            assertThat(page.asNormalizedText()).contains(ENVIRONMENT, "GOOD", "watch passed",
                    LedgerFixture.BACKUP_ID + "-1", "error-rate");
            assertThat(page.getElementById("rollback-button")).isNotNull();

            HtmlPage confirm = wc.getPage(good, RollbackPointAction.URL_NAME + "/confirm");
            assertThat(confirm.getElementById("data-version-warning")).isNotNull();
            assertThat(confirm.getElementById("data-loss-window")).isNotNull();
            assertThat(confirm.asNormalizedText()).contains("v1", "v2");
        }
    }

    @Test
    void shouldHideTheButtonAndTheBackupsFromReaders(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild good = j.buildAndAssertSuccess(job);
        FreeStyleBuild bad = j.buildAndAssertSuccess(job);
        LedgerFixture.record(good, ENVIRONMENT, PointStatus.GOOD, "watch passed");
        LedgerFixture.record(bad, ENVIRONMENT, PointStatus.BAD, "error-rate > 5%");
        secure(j, job);

        try (JenkinsRule.WebClient wc = j.createWebClient().login(READER)) {
            HtmlPage page = wc.getPage(good, RollbackPointAction.URL_NAME);
            assertThat(page.asNormalizedText()).contains("GOOD").doesNotContain(LedgerFixture.BACKUP_ID);
            assertThat(page.getElementById("rollback-button")).isNull();

            JSONObject json = wc.getJSON(good.getUrl() + RollbackPointAction.URL_NAME + "/api/json").getJSONObject();
            assertThat(json.getString("environment")).isEqualTo(ENVIRONMENT);
            assertThat(json.getString("status")).isEqualTo("GOOD");
            assertThat(json.getJSONArray("backups").size()).isZero();
        }
    }

    @Test
    void shouldRefuseTheRollbackToUsersWithoutThePermission(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild good = j.buildAndAssertSuccess(job);
        LedgerFixture.record(good, ENVIRONMENT, PointStatus.GOOD, "watch passed");
        secure(j, job);

        try (JenkinsRule.WebClient wc = j.createWebClient().login(READER)) {
            Page page = wc.withThrowExceptionOnFailingStatusCode(false).getPage(post(j, wc, good));

            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(403);
        }
        assertThat(job.getBuilds()).hasSize(1);
    }

    @Test
    void shouldRefuseGet(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild good = j.buildAndAssertSuccess(job);
        LedgerFixture.record(good, ENVIRONMENT, PointStatus.GOOD, "watch passed");
        secure(j, job);

        try (JenkinsRule.WebClient wc = j.createWebClient().login(ROLLER)) {
            wc.assertFails(good.getUrl() + RollbackPointAction.URL_NAME + "/rollback", 405);
        }
        assertThat(job.getBuilds()).hasSize(1);
    }

    @Test
    void shouldScheduleAReverterOnPost(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild good = j.buildAndAssertSuccess(job);
        FreeStyleBuild bad = j.buildAndAssertSuccess(job);
        LedgerFixture.record(good, ENVIRONMENT, PointStatus.GOOD, "watch passed", "v1");
        LedgerFixture.record(bad, ENVIRONMENT, PointStatus.BAD, "error-rate > 5%", "v1");
        secure(j, job);

        try (JenkinsRule.WebClient wc = j.createWebClient().login(ROLLER)) {
            wc.getPage(post(j, wc, good));
        }
        j.waitUntilNoActivity();

        FreeStyleBuild reverter = job.getLastBuild();
        assertThat(reverter.getNumber()).isEqualTo(3);
        RollbackCause cause = reverter.getCause(RollbackCause.class);
        assertThat(cause).isNotNull();
        assertThat(cause.getTargetBuild()).isEqualTo(1);
    }

    /**
     * Across a data-version change the button asks the planner, as rollback and rollbackTo do: before, the
     * confirmation page warned and the POST deployed v1's code on v2's data without anyone deciding it.
     */
    @Test
    void shouldRefuseARollbackAcrossADataVersionChangeNobodyAllowed(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild good = j.buildAndAssertSuccess(job);
        FreeStyleBuild bad = j.buildAndAssertSuccess(job);
        LedgerFixture.record(good, ENVIRONMENT, PointStatus.GOOD, "watch passed", "v1");
        LedgerFixture.record(bad, ENVIRONMENT, PointStatus.BAD, "error-rate > 5%", "v2");
        secure(j, job);

        try (JenkinsRule.WebClient wc = j.createWebClient().login(ROLLER)) {
            Page refused = wc.withThrowExceptionOnFailingStatusCode(false).getPage(post(j, wc, good));

            assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(409);
            assertThat(refused.getWebResponse().getContentAsString()).contains("data version changed from v1");
        }
        j.waitUntilNoActivity();
        assertThat(job.getBuilds()).as("no reverting build").hasSize(2);
    }

    /** The button of the point that runs now is hidden; its POST is refused the same way. */
    @Test
    void shouldRefuseARollbackToThePointThatRunsNow(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild good = j.buildAndAssertSuccess(job);
        LedgerFixture.record(good, ENVIRONMENT, PointStatus.GOOD, "watch passed", "v1");
        secure(j, job);

        try (JenkinsRule.WebClient wc = j.createWebClient().login(ROLLER)) {
            Page refused = wc.withThrowExceptionOnFailingStatusCode(false).getPage(post(j, wc, good));

            assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(409);
            assertThat(refused.getWebResponse().getContentAsString()).contains("nothing to roll back to");
        }
        j.waitUntilNoActivity();
        assertThat(job.getBuilds()).hasSize(1);
    }

    @Test
    void shouldEscapeTheVerdict(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild bad = j.buildAndAssertSuccess(job);
        LedgerFixture.record(bad, ENVIRONMENT, PointStatus.BAD, XSS);

        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.getPage(bad, RollbackPointAction.URL_NAME);

            assertThat(page.asNormalizedText()).contains(XSS);
            assertThat(page.getElementsByTagName("img")).noneMatch(img -> "x".equals(img.getAttribute("src")));
        }
    }

    private static WebRequest post(final JenkinsRule j, final JenkinsRule.WebClient wc, final FreeStyleBuild build)
            throws Exception {
        WebRequest request = new WebRequest(
                new URL(j.getURL(), build.getUrl() + RollbackPointAction.URL_NAME + "/rollback"), HttpMethod.POST);
        wc.addCrumb(request);
        return request;
    }

    /** alice may roll the job back; bob may only read it. */
    static void secure(final JenkinsRule j, final Item job) {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to(ROLLER, READER)
                .grant(Item.READ).onItems(job).to(ROLLER, READER)
                .grant(RollbackPermissions.ROLLBACK).onItems(job).to(ROLLER));
    }
}
