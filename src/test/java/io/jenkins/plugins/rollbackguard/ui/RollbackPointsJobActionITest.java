package io.jenkins.plugins.rollbackguard.ui;

import java.net.URL;

import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;

import io.jenkins.plugins.rollbackguard.engine.ledger.Circuit;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the class {@link RollbackPointsJobAction} in Jenkins: the job's points, the circuit reset and its checks.
 */
@WithJenkins
class RollbackPointsJobActionITest {
    private static final String ENVIRONMENT = "production";
    private static final String XSS = "<script>alert('frozen')</script>";

    @Test
    void shouldResetTheCircuitWithAReasonAndRecordWho(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createFrozenJob(j, "error rate");

        try (JenkinsRule.WebClient wc = j.createWebClient().login("alice")) {
            HtmlPage page = wc.getPage(job, "rollback-points");
            assertThat(page.asNormalizedText()).contains(ENVIRONMENT, "OPEN", "BAD", "error rate");

            wc.getPage(reset(j, wc, job, "fixed the database"));
        }

        Circuit circuit = LedgerFixture.ledger().circuit(EnvironmentName.of(ENVIRONMENT));
        assertThat(circuit.isOpen()).isFalse();
        assertThat(circuit.by()).isEqualTo("alice");
        assertThat(circuit.reason()).isEqualTo("fixed the database");
    }

    @Test
    void shouldRequireAReason(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createFrozenJob(j, "error rate");

        try (JenkinsRule.WebClient wc = j.createWebClient().login("alice")) {
            Page page = wc.withThrowExceptionOnFailingStatusCode(false).getPage(reset(j, wc, job, "  "));

            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(400);
        }
        assertThat(LedgerFixture.ledger().circuit(EnvironmentName.of(ENVIRONMENT)).isOpen()).isTrue();
    }

    @Test
    void shouldRefuseUsersWithoutThePermission(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createFrozenJob(j, "error rate");

        try (JenkinsRule.WebClient wc = j.createWebClient().login("bob")) {
            HtmlPage shown = wc.getPage(job, "rollback-points");
            assertThat(shown.getForms()).noneMatch(form -> ("reset-" + ENVIRONMENT).equals(form.getNameAttribute()));

            Page page = wc.withThrowExceptionOnFailingStatusCode(false).getPage(reset(j, wc, job, "because"));

            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(403);
        }
        assertThat(LedgerFixture.ledger().circuit(EnvironmentName.of(ENVIRONMENT)).isOpen()).isTrue();
    }

    @Test
    void shouldRefuseGet(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createFrozenJob(j, "error rate");

        try (JenkinsRule.WebClient wc = j.createWebClient().login("alice")) {
            wc.assertFails(job.getUrl() + "rollback-points/resetCircuit?environment=production&reason=x", 405);
        }
        assertThat(LedgerFixture.ledger().circuit(EnvironmentName.of(ENVIRONMENT)).isOpen()).isTrue();
    }

    @Test
    void shouldEscapeTheCircuitReason(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createFrozenJob(j, XSS);

        try (JenkinsRule.WebClient wc = j.createWebClient().login("alice")) {
            HtmlPage page = wc.getPage(job, "rollback-points");

            assertThat(page.asNormalizedText()).contains(XSS);
            assertThat(page.getWebResponse().getContentAsString()).doesNotContain(XSS);
        }
    }

    private static FreeStyleProject createFrozenJob(final JenkinsRule j, final String reason) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild bad = j.buildAndAssertSuccess(job);
        LedgerFixture.record(bad, ENVIRONMENT, PointStatus.BAD, reason);
        LedgerFixture.freeze(ENVIRONMENT, reason);
        RollbackPointActionITest.secure(j, job);
        return job;
    }

    private static WebRequest reset(final JenkinsRule j, final JenkinsRule.WebClient wc, final FreeStyleProject job,
            final String reason) throws Exception {
        WebRequest request = new WebRequest(new URL(j.getURL(), job.getUrl() + "rollback-points/resetCircuit"),
                HttpMethod.POST);
        request.setRequestParameters(new java.util.ArrayList<>(java.util.List.of(
                new NameValuePair("environment", ENVIRONMENT), new NameValuePair("reason", reason))));
        wc.addCrumb(request);
        return request;
    }
}
