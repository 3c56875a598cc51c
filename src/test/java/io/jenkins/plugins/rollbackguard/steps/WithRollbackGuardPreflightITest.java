package io.jenkins.plugins.rollbackguard.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.model.Result;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.testing.FaultyHttpServer;
import io.jenkins.plugins.rollbackguard.util.LedgerFacade;

/**
 * Preflight fails the step before its body starts, in a real build: a credentials id that does not exist, or a probe
 * that cannot be reached; nothing is recorded. The engine twin CI runs is {@code PreflightMachineTest}, which drives
 * the same machine start asynchronously as the step does.
 */
@WithJenkins
class WithRollbackGuardPreflightITest {
    private static final EnvironmentName ENV = EnvironmentName.of("preflight-it");

    private static String pipeline(final String probe) {
        return """
                node {
                  withRollbackGuard(environment: 'preflight-it', probes: [%s]) {
                    writeFile file: 'deployed.marker', text: 'ran'
                    echo 'BODY RAN'
                  }
                }
                """.formatted(probe);
    }

    private static long points() {
        var ledger = new LedgerFacade().getLedger();
        return ledger.environments().contains(ENV) ? ledger.size(ENV) : 0;
    }

    @Test
    void shouldFailTheStepBeforeTheBodyWhenASecretIsMissing(final JenkinsRule j) throws Exception {
        WorkflowJob job = Pipelines.createJob(j, "app", pipeline(
                "http(name: 'api', url: 'http://127.0.0.1:1/', credentialsId: 'NO_SUCH_TOKEN')"));

        WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, job);

        j.assertLogContains("no secret named 'NO_SUCH_TOKEN'", build);
        j.assertLogNotContains("BODY RAN", build);
        assertThat(points()).isZero();
    }

    @Test
    void shouldFailTheStepBeforeTheBodyWhenAProbeCannotBeReached(final JenkinsRule j) throws Exception {
        WorkflowJob job = Pipelines.createJob(j, "app", pipeline(
                "http(name: 'api', url: 'http://127.0.0.1:%d/')".formatted(FaultyHttpServer.refusedPort())));

        WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, job);

        j.assertLogContains("cannot be reached", build);
        j.assertLogContains("preflight: {reach: false}", build);
        j.assertLogNotContains("BODY RAN", build);
        assertThat(points()).isZero();
    }

    @Test
    void shouldFailTheStepBeforeTheBodyWhenAProgramIsMissingOnTheAgent(final JenkinsRule j) throws Exception {
        // checked on the agent where the probe's command runs (AgentFileChecks); before, the body ran and the probe
        // failed afterwards. Engine twin: PreflightMachineTest.shouldRefuseWhatTheHostFindsWhereItsProgramsRun
        j.waitOnline(j.createSlave("target-side", "deploy-target", null));
        WorkflowJob job = Pipelines.createJob(j, "app", """
                node('deploy-target') {
                  withRollbackGuard(environment: 'preflight-it', probes: [command(name: 'check',
                      command: 'no-such-checker-xyz --ping')]) {
                    echo 'BODY RAN'
                  }
                }
                """);

        WorkflowRun build = j.buildAndAssertStatus(Result.FAILURE, job);

        j.assertLogContains("probes[0].command: 'no-such-checker-xyz' is not on the PATH", build);
        j.assertLogNotContains("BODY RAN", build);
        assertThat(points()).isZero();
    }
}
