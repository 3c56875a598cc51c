package io.jenkins.plugins.rollbackguard.ui;

import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import jenkins.model.Jenkins;

import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the class {@link EnvironmentsAction} in Jenkins: the overview lists only what the user may read.
 */
@WithJenkins
class EnvironmentsActionITest {
    @Test
    void shouldHideEnvironmentsAndPointsOfUnreadableJobs(final JenkinsRule j) throws Exception {
        FreeStyleProject visible = j.createFreeStyleProject("shop");
        FreeStyleProject hidden = j.createFreeStyleProject("payroll");
        FreeStyleBuild shop = j.buildAndAssertSuccess(visible);
        FreeStyleBuild payroll = j.buildAndAssertSuccess(hidden);
        LedgerFixture.record(shop, "shop-prod", PointStatus.GOOD, "watch passed");
        LedgerFixture.record(payroll, "payroll-prod", PointStatus.GOOD, "watch passed");
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to("bob")
                .grant(Item.READ).onItems(visible).to("bob")
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));

        try (JenkinsRule.WebClient wc = j.createWebClient().login("bob")) {
            HtmlPage page = wc.goTo("rollback-guard/");

            assertThat(page.asNormalizedText()).contains("shop-prod", "shop #1", "0.0 %")
                    .doesNotContain("payroll");
        }
        try (JenkinsRule.WebClient wc = j.createWebClient().login("admin")) {
            HtmlPage page = wc.goTo("rollback-guard/");

            assertThat(page.asNormalizedText()).contains("shop-prod", "payroll-prod", "payroll #1");
        }
    }

    @Test
    void shouldShowTheFrozenCircuitAndEscapeItsReason(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild bad = j.buildAndAssertSuccess(job);
        LedgerFixture.record(bad, "production", PointStatus.BAD, "error rate");
        LedgerFixture.freeze("production", "<b id=\"injected\">frozen</b>");

        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("rollback-guard/");

            assertThat(page.asNormalizedText()).contains("OPEN", "<b id=\"injected\">frozen</b>");
            assertThat(page.getElementById("injected")).isNull();
        }
    }
}
