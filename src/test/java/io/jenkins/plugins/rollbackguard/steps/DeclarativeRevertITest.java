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

import hudson.FilePath;
import hudson.slaves.DumbSlave;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * The shop pipeline of docs/pipeline.md ("A reverting build that skips checkout, build and tests") in Jenkins: its
 * reverting build runs on another agent with an empty workspace, skips the stages guarded out by
 * {@code when { not { environment name: 'ROLLBACK_GUARD_IS_ROLLBACK', value: 'true' } } }, and still deploys the
 * target's artifact with the target's own deploy script, both copied from the controller's archive. Never run here;
 * its twin is {@code RevertArtifactsConventionTest} (the copy reads the target build's archive, never a workspace,
 * and comes before the body) with {@code OutcomeVariablesConventionTest} (the variables for the whole build).
 */
@WithJenkins
class DeclarativeRevertITest {
    private static final String WHEN = "when { not { environment name: 'ROLLBACK_GUARD_IS_ROLLBACK', value: 'true' } }";

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @Test
    void shouldRevertOnAnotherAgentWithAnEmptyWorkspaceAndSkipTheGuardedOutStages(final JenkinsRule j)
            throws Exception {
        try (HealthServer service = new HealthServer()) {
            DumbSlave first = agent(j, "first"); // named: an agent's directory is named after it
            WorkflowJob shop = j.createProject(WorkflowJob.class, "shop");
            shop.setDefinition(new CpsFlowDefinition(pipeline(service.url()), true));
            WorkflowRun one = j.buildAndAssertSuccess(shop);
            j.buildAndAssertSuccess(shop);
            j.assertLogContains("Running on " + first.getNodeName(), one);
            j.assertLogContains("deploy script of build 1: deploying v1", one);
            j.jenkins.removeNode(first);
            DumbSlave second = agent(j, "second");
            FilePath workspace = second.getWorkspaceFor(shop);
            assertThat(workspace.exists()).as("the second agent has never built the shop").isFalse();
            WorkflowJob ops = Pipelines.createJob(j, "ops",
                    "echo \"result=${rollbackTo(target: '1', environment: 'shop-prod', job: 'shop', wait: true)}\"");

            WorkflowRun asked = j.buildAndAssertSuccess(ops);

            j.assertLogContains("result=SUCCESS", asked);
            WorkflowRun revert = shop.getBuildByNumber(3);
            assertThat(revert.getAction(RollbackTargetAction.class).getTargetBuild()).isEqualTo(1);
            j.assertLogContains("Running on " + second.getNodeName(), revert);
            for (String stage : new String[] {"Checkout", "Build", "Test", "Archive"}) {
                j.assertLogContains("Stage \"" + stage + "\" skipped due to when conditional", revert);
            }
            j.assertLogNotContains("compiling the shop", revert);
            j.assertLogNotContains("running the tests", revert);
            j.assertLogContains("deploy script of build 1: deploying v1", revert);
            assertThat(workspace.child("target/shop.txt").readToString()).isEqualTo("v1");
            assertThat(workspace.child("deploy/deploy.sh").readToString()).contains("build 1");
            assertThat(revert.getArtifacts()).as("the revert archived nothing: its Archive stage was skipped").isEmpty();
            Ledger ledger = new LedgerFacade().getLedger();
            RollbackPoint revertPoint = pointOf(ledger, 3);
            assertThat(revertPoint.status()).isEqualTo(PointStatus.GOOD);
            assertThat(revertPoint.revertOf()).isEqualTo(pointOf(ledger, 2).id());
            assertThat(pointOf(ledger, 2).status()).isEqualTo(PointStatus.REVERTED);
        }
    }

    private static DumbSlave agent(final JenkinsRule j, final String name) throws Exception {
        DumbSlave agent = j.createSlave(name, "deploy", null);
        j.waitOnline(agent);
        return agent;
    }

    /** The documented shop pipeline; the Checkout stage stands for {@code checkout scm} of a deploy script. */
    private static String pipeline(final String url) {
        return """
                pipeline {
                  agent { label 'deploy' }
                  stages {
                    stage('Checkout') {
                      %1$s
                      steps {
                        writeFile file: 'deploy/deploy.sh',
                            text: 'echo "deploy script of build ' + env.BUILD_NUMBER + ': deploying $(cat "$1")"\\n'
                      }
                    }
                    stage('Build') {
                      %1$s
                      steps {
                        echo 'compiling the shop'
                        writeFile file: 'target/shop.txt', text: "v${env.BUILD_NUMBER}"
                      }
                    }
                    stage('Test') {
                      %1$s
                      steps { echo 'running the tests' }
                    }
                    stage('Archive') {
                      %1$s
                      steps { archiveArtifacts 'target/shop.txt, deploy/**' }
                    }
                    stage('Deploy') {
                      steps {
                        withRollbackGuard(environment: 'shop-prod', artifacts: 'target/*.txt', probes: [http(
                            name: 'health', url: '%2$s', jsonPointer: '/rate', failIf: '< 0.9', interval: '1s',
                            count: 2)]) {
                          sh 'sh deploy/deploy.sh target/shop.txt'
                        }
                      }
                    }
                  }
                }
                """.formatted(WHEN, url);
    }

    private static RollbackPoint pointOf(final Ledger ledger, final int build) {
        return ledger.history(EnvironmentName.of("shop-prod"), 0, 100).stream()
                .filter(point -> point.source().build() == build).findFirst()
                .orElseThrow(() -> new AssertionError("no point for shop #" + build));
    }
}
