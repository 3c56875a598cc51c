package io.jenkins.plugins.rollbackguard.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Tests that {@code rollbackGuardDrill} survives a controller restart while its first leg's reverting build watches:
 * the step keeps only its ids, the ledger says how far the drill got and the leg's build is found again by its key,
 * so after the restart the drill goes on to the second leg and ends, with no leg queued twice. Never run here; the
 * engine twin is {@code DrillTest.shouldTakeUpADrillFromTheLedgerAfterARestart}, the glue's is
 * {@code DrillGlueConventionTest} (what the execution persists, the look-up by key before a leg is scheduled).
 */
class DrillStepRestartITest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private static HealthServer service;

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @BeforeAll
    static void startService() throws Exception {
        service = new HealthServer();
    }

    @AfterAll
    static void stopService() {
        service.close();
    }

    @Test
    void shouldGoOnWithTheDrillAfterARestartDuringItsFirstLeg() throws Throwable {
        sessions.then(j -> {
            WorkflowJob app = DrillStepITest.stagingDeployJob(j, service.url());
            j.buildAndAssertSuccess(app);
            j.buildAndAssertSuccess(app);
            app.setDefinition(DrillStepITest.stagingDeploy(service.url(), 12)); // the legs watch long enough
            WorkflowJob drill = Pipelines.createJob(j, "staging-drill",
                    "echo \"drill=${rollbackGuardDrill(environment: 'staging').outcome}\"");
            drill.scheduleBuild2(0).waitForStart();
            await().atMost(Duration.ofMinutes(1)).until(() -> app.getBuildByNumber(3) != null);
            j.waitForMessage("watching 1 probe(s)", app.getBuildByNumber(3));
        });
        sessions.then(j -> {
            WorkflowJob app = j.jenkins.getItemByFullName("app", WorkflowJob.class);
            WorkflowRun drill = j.jenkins.getItemByFullName("staging-drill", WorkflowJob.class).getBuildByNumber(1);

            j.assertBuildStatusSuccess(j.waitForCompletion(drill));
            j.waitUntilNoActivity();

            j.assertLogContains("drill=OK", drill);
            assertThat(app.getLastBuild().getNumber()).as("one build per leg, none twice").isEqualTo(4);
            assertThat(app.getBuildByNumber(4).getAction(RollbackTargetAction.class).getTargetBuild()).isEqualTo(2);
            Ledger ledger = new LedgerFacade().getLedger();
            assertThat(ledger.incidents(EnvironmentName.of("staging")).drills()).hasSize(1);
        });
    }
}
