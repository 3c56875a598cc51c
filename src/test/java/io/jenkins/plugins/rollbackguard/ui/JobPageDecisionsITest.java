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

import io.jenkins.plugins.rollbackguard.engine.guard.Decisions;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.LedgerEvent;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the decisions on the job's "Rollback points" page: "Mark" of an INCONCLUSIVE point and "Roll back across the
 * data version", each a POST with a reason from a user with the Rollback permission, recorded in the ledger with the
 * Jenkins user; a blank reason (one sentence, 400), a user without the permission (403) and a GET (405) are refused and
 * record nothing. Never run here; its twins that CI runs are {@code DecisionsTest} (the engine decision API the page
 * and the command line both call: marks, refusals, the data-version override and its data-loss window) and
 * {@code GuardDriverConventionTest} (every do* method POST, the permission before any write, the reason checked first,
 * doMark and doRollbackAcrossDataVersion covered).
 */
@WithJenkins
class JobPageDecisionsITest {
    private static final String ENVIRONMENT = "production";
    private static final EnvironmentName ENV = EnvironmentName.of(ENVIRONMENT);

    @Test
    void shouldMarkAnInconclusivePointGoodRecordingTheJenkinsUserAndTheReason(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild good = j.buildAndAssertSuccess(job);
        LedgerFixture.record(good, ENVIRONMENT, PointStatus.GOOD, "healthy");
        RollbackPoint unsure = LedgerFixture.record(j.buildAndAssertSuccess(job), ENVIRONMENT, PointStatus.INCONCLUSIVE,
                "no samples");
        RollbackPointActionITest.secure(j, job);

        try (JenkinsRule.WebClient wc = j.createWebClient().login("alice")) {
            HtmlPage page = wc.getPage(job, "rollback-points");
            assertThat(page.getForms()).anyMatch(form -> ("mark-" + ENVIRONMENT + "-" + unsure.id())
                    .equals(form.getNameAttribute()));

            wc.getPage(post(j, wc, job, "mark", List.of(new NameValuePair("point", Long.toString(unsure.id())),
                    new NameValuePair("verdict", "good"), new NameValuePair("reason", "orders checked by hand"))));
        }

        assertThat(LedgerFixture.ledger().point(ENV, unsure.id()).status()).isEqualTo(PointStatus.GOOD);
        assertThat(LedgerFixture.ledger().lastGood(ENV)).get().extracting(RollbackPoint::id).isEqualTo(unsure.id());
        LedgerEvent decision = decisions().get(0);
        assertThat(decision.actor()).isEqualTo("alice");
        assertThat(decision.reason()).contains("orders checked by hand");
    }

    @Test
    void shouldRefuseABlankReasonNonsenseAUserWithoutPermissionAndGet(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        RollbackPoint good = LedgerFixture.record(j.buildAndAssertSuccess(job), ENVIRONMENT, PointStatus.GOOD, "healthy");
        RollbackPointActionITest.secure(j, job);
        List<NameValuePair> blank = List.of(new NameValuePair("point", Long.toString(good.id())),
                new NameValuePair("verdict", "good"), new NameValuePair("reason", "  "));
        List<NameValuePair> again = List.of(new NameValuePair("point", Long.toString(good.id())),
                new NameValuePair("verdict", "good"), new NameValuePair("reason", "sure"));

        try (JenkinsRule.WebClient wc = j.createWebClient().login("alice")) {
            Page noReason = wc.withThrowExceptionOnFailingStatusCode(false).getPage(post(j, wc, job, "mark", blank));
            Page already = wc.withThrowExceptionOnFailingStatusCode(false).getPage(post(j, wc, job, "mark", again));
            Page acrossNoReason = wc.withThrowExceptionOnFailingStatusCode(false).getPage(post(j, wc, job,
                    "rollbackAcrossDataVersion", blank));

            assertThat(noReason.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(noReason.getWebResponse().getContentAsString()).contains("A reason is required to mark a point");
            assertThat(already.getWebResponse().getStatusCode()).isEqualTo(409);
            assertThat(already.getWebResponse().getContentAsString()).contains("is already GOOD: there is nothing to mark");
            assertThat(acrossNoReason.getWebResponse().getStatusCode()).isEqualTo(400);
            wc.assertFails(job.getUrl() + "rollback-points/mark?environment=production&point=1&verdict=bad&reason=x", 405);
        }
        try (JenkinsRule.WebClient wc = j.createWebClient().login("bob")) {
            Page page = wc.withThrowExceptionOnFailingStatusCode(false).getPage(post(j, wc, job, "mark", again));

            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(403);
        }
        assertThat(decisions()).as("nothing recorded").isEmpty();
    }

    @Test
    void shouldRecordTheDataVersionOverrideAndScheduleTheRevertingBuild(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        RollbackPoint v1 = LedgerFixture.record(j.buildAndAssertSuccess(job), ENVIRONMENT, PointStatus.GOOD, "healthy");
        RollbackPoint v2 = LedgerFixture.record(j.buildAndAssertSuccess(job), ENVIRONMENT, PointStatus.GOOD, "healthy");
        RollbackPointActionITest.secure(j, job);

        try (JenkinsRule.WebClient wc = j.createWebClient().login("alice")) {
            HtmlPage page = wc.getPage(job, "rollback-points");
            assertThat(page.getForms()).anyMatch(form -> ("across-" + ENVIRONMENT + "-" + v1.id())
                    .equals(form.getNameAttribute()));

            // a reverting build restores no backup: a restore asked here is refused, not recorded as done
            Page restore = wc.withThrowExceptionOnFailingStatusCode(false).getPage(post(j, wc, job,
                    "rollbackAcrossDataVersion", List.of(
                    new NameValuePair("point", Long.toString(v1.id())), new NameValuePair("restoreData", "true"),
                    new NameValuePair("reason", "v2 corrupted the orders"))));
            assertThat(restore.getWebResponse().getStatusCode()).isEqualTo(409);
            assertThat(restore.getWebResponse().getContentAsString()).contains("--restore-data");
            assertThat(decisions()).as("nothing recorded for the refused restore").isEmpty();

            wc.withThrowExceptionOnFailingStatusCode(true).getPage(post(j, wc, job, "rollbackAcrossDataVersion", List.of(
                    new NameValuePair("point", Long.toString(v1.id())),
                    new NameValuePair("reason", "v2 corrupted the orders"))));
        }
        j.waitUntilNoActivity();

        assertThat(LedgerFixture.ledger().point(ENV, v2.id()).attributes())
                .containsEntry(Decisions.DATA_OVERRIDE, v1.id() + ":false");
        LedgerEvent decision = decisions().get(0);
        assertThat(decision.actor()).isEqualTo("alice");
        assertThat(decision.reason()).contains("v2 -> v1").contains("v2 corrupted the orders").contains("none restored");
        assertThat(job.getLastBuild().getNumber()).as("the reverting build ran").isEqualTo(3);
    }

    private static List<LedgerEvent> decisions() {
        return LedgerFixture.ledger().auditTrail(ENV).stream().filter(e -> e.type() == LedgerEvent.Type.DECISION)
                .toList();
    }

    private static WebRequest post(final JenkinsRule j, final JenkinsRule.WebClient wc, final FreeStyleProject job,
            final String method, final List<NameValuePair> parameters) throws Exception {
        WebRequest request = new WebRequest(new URL(j.getURL(), job.getUrl() + "rollback-points/" + method),
                HttpMethod.POST);
        List<NameValuePair> all = new ArrayList<>(parameters);
        all.add(new NameValuePair("environment", ENVIRONMENT));
        request.setRequestParameters(all);
        wc.addCrumb(request);
        return request;
    }
}
