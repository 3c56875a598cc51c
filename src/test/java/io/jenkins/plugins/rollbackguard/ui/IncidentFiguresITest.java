package io.jenkins.plugins.rollbackguard.ui;

import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import net.sf.json.JSONObject;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Incident;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the build page, its {@code rollback-point/api/json} and {@code /rollback-guard/api/json} give the
 * ledger's incident figures (time to detect, time to restore, incident duration), the ones the command line prints.
 */
@WithJenkins
class IncidentFiguresITest {
    @Test
    void shouldShowTheLedgersFiguresOnTheBuildPageAndInTheRemoteApi(final JenkinsRule j) throws Exception {
        FreeStyleProject job = j.createFreeStyleProject("shop");
        FreeStyleBuild good = j.buildAndAssertSuccess(job);
        FreeStyleBuild bad = j.buildAndAssertSuccess(job);
        FreeStyleBuild revert = j.buildAndAssertSuccess(job);
        LedgerFixture.record(good, "production", PointStatus.GOOD, "watch passed");
        RollbackPoint tripped = LedgerFixture.record(bad, "production", PointStatus.BAD, "error rate 12% > 5%");
        LedgerFixture.freeze("production", "error rate 12% > 5%");
        LedgerFixture.revert(revert, "production", tripped.id());
        Incident incident = LedgerFixture.ledger().incident(EnvironmentName.of("production"), tripped.id()).orElseThrow();

        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            JSONObject point = wc.getJSON(bad.getUrl() + RollbackPointAction.URL_NAME + "/api/json").getJSONObject();
            JSONObject overview = wc.getJSON("rollback-guard/api/json").getJSONObject();
            HtmlPage page = wc.goTo(bad.getUrl() + RollbackPointAction.URL_NAME + "/");

            JSONObject figures = point.getJSONObject("incident");
            assertThat(figures.getLong("point")).isEqualTo(tripped.id());
            assertThat(figures.getBoolean("open")).isFalse();
            assertThat(figures.getLong("timeToDetectMs")).isEqualTo(incident.timeToDetect().orElseThrow().toMillis());
            assertThat(figures.getLong("timeToRestoreMs")).isEqualTo(incident.timeToRestore().orElseThrow().toMillis());
            assertThat(figures.getLong("durationMs")).isEqualTo(incident.duration().orElseThrow().toMillis());
            assertThat(figures.getString("duration")).isEqualTo(IncidentFigures.human(incident.duration().orElseThrow()));

            assertThat(overview.getLong("goalMs")).isEqualTo(900_000);
            assertThat(overview.getLong("frozenEnvironments")).isEqualTo(1);
            JSONObject production = overview.getJSONArray("environments").getJSONObject(0);
            assertThat(production.getString("name")).isEqualTo("production");
            assertThat(production.getLong("trips")).as("recorded BAD by the fixture, not tripped by a guard").isZero();
            assertThat(production.getLong("reverts")).isEqualTo(1);
            assertThat(production.getJSONObject("incident").getLong("durationMs")).isEqualTo(figures.getLong("durationMs"));
            JSONObject stats = production.getJSONObject("incidents");
            assertThat(stats.getInt("count")).isEqualTo(1);
            assertThat(stats.getJSONObject("duration").getLong("medianMs")).isEqualTo(figures.getLong("durationMs"));
            assertThat(stats.getJSONObject("timeToDetect").getLong("p95Ms")).isEqualTo(figures.getLong("timeToDetectMs"));

            assertThat(page.getElementById("incident").asNormalizedText()).contains(figures.getString("timeToDetect"),
                    figures.getString("timeToRestore"), figures.getString("duration"));
        }
    }
}
