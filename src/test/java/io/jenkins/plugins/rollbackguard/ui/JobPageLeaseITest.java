package io.jenkins.plugins.rollbackguard.ui;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

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

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.spi.OwnerLiveness;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the lease on the job's "Rollback points" page: it is shown (owner, since, epoch) and broken by a POST with a
 * reason from a user with the Rollback permission, recorded in the ledger; a blank reason, a user without the
 * permission and a GET are refused. Never run here; its twins that CI runs are
 * {@code LedgerLeaseTest.shouldBreakALeaseOnlyWithAReasonAndRecordWhoAndWhy} (the ledger records who, why and the
 * holder) and {@code GuardDriverConventionTest} (POST, the permission before the write, the reason checked first).
 */
@WithJenkins
class JobPageLeaseITest {
    private static final String ENVIRONMENT = "production";
    private static final EnvironmentName ENV = EnvironmentName.of(ENVIRONMENT);
    private static final String HOLDER = "cli:deploy-host-7:4242:1700000000000";

    @Test
    void shouldShowTheLeaseAndBreakItWithAReasonRecordingWhoAndWhy(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createJobHoldingTheLease(j, HOLDER);

        try (JenkinsRule.WebClient wc = j.createWebClient().login("alice")) {
            HtmlPage page = wc.getPage(job, "rollback-points");
            assertThat(page.asNormalizedText()).contains("held by " + HOLDER, "(epoch 1)");
            assertThat(page.getForms()).anyMatch(form -> ("break-lease-" + ENVIRONMENT).equals(form.getNameAttribute()));

            wc.getPage(breakLease(j, wc, job, "deploy-host-7 was reinstalled; its run is gone"));
        }

        assertThat(LedgerFixture.ledger().lease(ENV)).isEmpty();
        LedgerEvent broken = LedgerFixture.ledger().auditTrail(ENV).stream()
                .filter(e -> e.type() == LedgerEvent.Type.LEASE_BROKEN).findFirst().orElseThrow();
        assertThat(broken.actor()).isEqualTo("alice");
        assertThat(broken.reason()).contains("deploy-host-7 was reinstalled; its run is gone", "held by " + HOLDER);
    }

    @Test
    void shouldRequireAReasonInOneSentence(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createJobHoldingTheLease(j, HOLDER);

        try (JenkinsRule.WebClient wc = j.createWebClient().login("alice")) {
            Page page = wc.withThrowExceptionOnFailingStatusCode(false).getPage(breakLease(j, wc, job, "   "));

            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(page.getWebResponse().getContentAsString()).contains("A reason is required to break a lease");
        }
        assertThat(LedgerFixture.ledger().lease(ENV)).get().extracting(Lease::owner).isEqualTo(HOLDER);
    }

    @Test
    void shouldRefuseUsersWithoutTheRollbackPermission(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createJobHoldingTheLease(j, HOLDER);

        try (JenkinsRule.WebClient wc = j.createWebClient().login("bob")) {
            HtmlPage shown = wc.getPage(job, "rollback-points");
            assertThat(shown.asNormalizedText()).contains("held by " + HOLDER);
            assertThat(shown.getForms()).noneMatch(form -> ("break-lease-" + ENVIRONMENT).equals(form.getNameAttribute()));

            Page page = wc.withThrowExceptionOnFailingStatusCode(false).getPage(breakLease(j, wc, job, "because"));

            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(403);
        }
        assertThat(LedgerFixture.ledger().lease(ENV)).get().extracting(Lease::owner).isEqualTo(HOLDER);
    }

    @Test
    void shouldRefuseGet(final JenkinsRule j) throws Exception {
        FreeStyleProject job = createJobHoldingTheLease(j, HOLDER);

        try (JenkinsRule.WebClient wc = j.createWebClient().login("alice")) {
            wc.assertFails(job.getUrl() + "rollback-points/breakLease?environment=production&reason=x", 405);
        }
        assertThat(LedgerFixture.ledger().lease(ENV)).isPresent();
    }

    @Test
    void shouldNotNameABuildOfAJobTheUserCannotRead(final JenkinsRule j) throws Exception {
        j.createFreeStyleProject("secret-payroll");
        FreeStyleProject job = createJobHoldingTheLease(j, "jenkins:secret-payroll#3");

        try (JenkinsRule.WebClient wc = j.createWebClient().login("alice")) {
            HtmlPage page = wc.getPage(job, "rollback-points");

            assertThat(page.asNormalizedText()).contains("held by a build of a job you cannot see")
                    .doesNotContain("secret-payroll");
        }
    }

    private static FreeStyleProject createJobHoldingTheLease(final JenkinsRule j, final String holder)
            throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild good = j.buildAndAssertSuccess(job);
        LedgerFixture.record(good, ENVIRONMENT, PointStatus.GOOD, "healthy");
        assertThat(LedgerFixture.ledger().takeLease(ENV, holder, OwnerLiveness.never()).granted()).isTrue();
        RollbackPointActionITest.secure(j, job);
        return job;
    }

    private static WebRequest breakLease(final JenkinsRule j, final JenkinsRule.WebClient wc,
            final FreeStyleProject job, final String reason) throws Exception {
        WebRequest request = new WebRequest(new URL(j.getURL(), job.getUrl() + "rollback-points/breakLease"),
                HttpMethod.POST);
        request.setRequestParameters(new ArrayList<>(List.of(new NameValuePair("environment", ENVIRONMENT),
                new NameValuePair("reason", reason))));
        wc.addCrumb(request);
        return request;
    }
}
