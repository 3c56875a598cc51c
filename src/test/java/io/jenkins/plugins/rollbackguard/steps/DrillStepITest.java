package io.jenkins.plugins.rollbackguard.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.Result;

import io.jenkins.plugins.rollbackguard.engine.guard.Drill;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Tests {@link DrillStep} in Jenkins: a cron-style drill job rehearses a rollback of a staging deploy job through two
 * reverting builds, and the drill's figure is kept apart. Never run here (the Jenkins repository is unreachable); its
 * twin is the engine's {@code DrillTest}, which drives the same {@link Drill} through the machine as these reverting
 * builds do, and the conventions on the step's sources.
 */
@WithJenkins
class DrillStepITest {
    private static final EnvironmentName STAGING = EnvironmentName.of("staging");

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @Test
    void shouldRefuseAnEnvironmentThatLooksLikeProduction(final JenkinsRule j) throws Exception {
        WorkflowJob drill = Pipelines.createJob(j, "drill", "rollbackGuardDrill(environment: 'production')");

        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, drill);

        j.assertLogContains("rollbackGuardDrill: environment 'production' looks like production: a drill deploys an "
                + "older version there; use a staging environment or allowProduction: true", run);
        j.assertLogNotContains("Exception", run);
        assertThat(j.jenkins.getQueue().getItems()).as("nothing was queued").isEmpty();
    }

    @Test
    void shouldDrillStagingAndKeepTheDrillFigureApart(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob app = stagingDeployJob(j, service.url());
            j.buildAndAssertSuccess(app);
            j.buildAndAssertSuccess(app);
            WorkflowJob drill = Pipelines.createJob(j, "staging-drill", """
                    // docs/pipeline.md schedules this job with triggers { cron('H 3 * * 1') }; built by hand here
                    def drill = rollbackGuardDrill(environment: 'staging')
                    echo "drill=${drill.outcome} from=${drill.from} ttr=${drill.timeToRestore}"
                    """);

            WorkflowRun run = j.buildAndAssertSuccess(drill);
            j.waitUntilNoActivity();

            j.assertLogContains("drill=OK from=2", run);
            WorkflowRun back = app.getBuildByNumber(3);
            WorkflowRun forward = app.getBuildByNumber(4);
            assertThat(back.getAction(RollbackTargetAction.class).getTargetBuild()).isEqualTo(1);
            assertThat(forward.getAction(RollbackTargetAction.class).getTargetBuild()).isEqualTo(2);
            j.assertLogContains("deploying v1 rollback=true", back);
            j.assertLogContains("deploying v2 rollback=true", forward);
            Ledger ledger = new LedgerFacade().getLedger();
            RollbackPoint backPoint = pointOf(ledger, 3);
            assertThat(backPoint.status()).isEqualTo(PointStatus.GOOD);
            assertThat(backPoint.attributes()).containsEntry("trigger", Drill.TRIGGER)
                    .containsEntry(IncidentFigures.DRILL_LEG, "back");
            assertThat(backPoint.revertOf()).as("a drill reverts nothing").isZero();
            assertThat(pointOf(ledger, 4).attributes()).containsEntry(IncidentFigures.DRILL_LEG, IncidentFigures.FORWARD);
            IncidentFigures figures = ledger.incidents(STAGING);
            assertThat(figures.drills()).hasSize(1);
            assertThat(figures.drills().get(0).pointId()).isEqualTo(backPoint.id());
            assertThat(figures.incidents()).as("a drill is no incident").isEmpty();
            assertThat(ledger.dora(STAGING).deploys()).as("drills are not deploys").isEqualTo(2);
            j.assertLogContains("ttr=" + figures.drills().get(0).timeToRestore().map(IncidentFigures::human)
                    .orElseThrow(), run);
        }
    }

    @Test
    void shouldRefuseToDrillFromTheDeployJobItselfWithoutConcurrentBuilds(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob app = stagingDeployJob(j, service.url());
            j.buildAndAssertSuccess(app);
            j.buildAndAssertSuccess(app);
            app.setDefinition(new CpsFlowDefinition("rollbackGuardDrill(environment: 'staging')", true));
            app.setConcurrentBuild(false);

            WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, app);

            j.assertLogContains("does not allow concurrent builds", run);
            j.waitUntilNoActivity();
            assertThat(app.getLastBuild().getNumber()).as("no reverting build was queued").isEqualTo(3);
        }
    }

    /**
     * A deploy job that drills after each deploy: its legs run the same Jenkinsfile, and the step refuses to drill in
     * them (else each leg would start another drill). Twin: DrillGlueConventionTest#shouldFindAStartThatDrillsInsideALeg.
     */
    @Test
    void shouldRefuseToDrillInsideALeg(final JenkinsRule j) throws Exception {
        try (HealthServer service = new HealthServer()) {
            WorkflowJob app = stagingDeployJob(j, service.url());
            j.buildAndAssertSuccess(app);
            j.buildAndAssertSuccess(app);
            String deploy = stagingDeploy(service.url(), 2).getScript();
            app.setDefinition(new CpsFlowDefinition(deploy + """
                    def drill = rollbackGuardDrill(environment: 'staging')
                    echo "drill=${drill.outcome}"
                    """, true));

            WorkflowRun run = app.scheduleBuild2(0).get(); // deploys #3, then drills: legs #4 and #5
            j.waitUntilNoActivity();

            j.assertBuildStatusSuccess(run); // the ledger judges the legs: their points are good
            j.assertLogContains("drill=OK", run);
            for (int leg : new int[] {4, 5}) {
                WorkflowRun legRun = app.getBuildByNumber(leg);
                assertThat(legRun.getCause(RollbackCause.class)).as("leg #" + leg).isNotNull();
                j.assertBuildStatusSuccess(legRun); // its own drill step is skipped, not failed
                j.assertLogContains("rollbackGuardDrill: skipped: ", legRun);
                j.assertLogContains("is a reverting build (a drill's leg or a rollback)", legRun);
            }
            assertThat(app.getLastBuild().getNumber()).as("no drill started inside a leg").isEqualTo(5);
        }
    }

    /** A staging deploy job: a new build archives {@code app.txt}; a reverting build deploys the target's copy. */
    static WorkflowJob stagingDeployJob(final JenkinsRule j, final String url) throws Exception {
        WorkflowJob app = j.createProject(WorkflowJob.class, "app");
        app.setConcurrentBuild(true);
        app.setDefinition(stagingDeploy(url, 2));
        return app;
    }

    /** The staging deploy's script, watching for a number of one-second samples. */
    static CpsFlowDefinition stagingDeploy(final String url, final int samples) throws Exception {
        return new CpsFlowDefinition("""
                node {
                  if (env.ROLLBACK_GUARD_IS_ROLLBACK != 'true') {
                    writeFile file: 'app.txt', text: "v${env.BUILD_NUMBER}"
                    archiveArtifacts 'app.txt'
                  }
                  withRollbackGuard(environment: 'staging', probes: [http(name: 'health', url: '%s',
                      jsonPointer: '/rate', failIf: '< 0.9', interval: '1s', count: %d)]) {
                    echo "deploying ${readFile 'app.txt'} rollback=${env.ROLLBACK_GUARD_IS_ROLLBACK}"
                  }
                }
                """.formatted(url, samples), true);
    }

    static RollbackPoint pointOf(final Ledger ledger, final int build) {
        return ledger.history(STAGING, 0, 100).stream().filter(point -> point.source().build() == build)
                .findFirst().orElseThrow(() -> new AssertionError("no point for app #" + build));
    }
}
