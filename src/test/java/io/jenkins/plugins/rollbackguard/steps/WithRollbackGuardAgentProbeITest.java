package io.jenkins.plugins.rollbackguard.steps;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import hudson.EnvVars;
import hudson.slaves.DumbSlave;

import io.jenkins.plugins.rollbackguard.engine.guard.GuardSession;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests that a deploy target only its agent reaches gets its baseline from that agent (M6), as its watch does: the
 * agent's JVM reaches {@code agent-only.invalid} through an HTTP proxy (the test's health server), while the
 * controller cannot resolve that host at all. A relative threshold ({@code drop > 20%}) needs the baseline; a
 * baseline sampled from the controller would be "none". Engine twin (run by CI):
 * {@code GuardMachineHostProbeTest.shouldTakeTheBaselineAndTheWatchThroughTheHostsProbe}.
 */
@WithJenkins
class WithRollbackGuardAgentProbeITest {
    private static final String AGENT_ONLY = "http://agent-only.invalid/health";

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @Test
    void shouldSampleTheBaselineOfAnAgentOnlyEndpointOnTheAgent(final JenkinsRule j) throws Exception {
        try (HealthServer proxy = new HealthServer()) {
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(AGENT_ONLY))
                    .build(), HttpResponse.BodyHandlers.ofString()))
                    .as("the controller cannot reach the endpoint").isInstanceOf(java.io.IOException.class);
            EnvVars agentJvm = new EnvVars("JAVA_TOOL_OPTIONS",
                    "-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=" + proxy.port());
            DumbSlave agent = j.createSlave("target-side", "deploy-target", agentJvm);
            j.waitOnline(agent);
            WorkflowJob job = Pipelines.createJob(j, "app", """
                    node('deploy-target') {
                      withRollbackGuard(environment: '%s', probes: [http(name: 'health', url: '%s',
                          jsonPointer: '/rate', failIf: 'drop > 20%%', interval: '1s', count: 2)]) {
                        echo 'deployed'
                      }
                    }
                    """.formatted(Pipelines.ENVIRONMENT, AGENT_ONLY));

            WorkflowRun build = j.buildAndAssertSuccess(job);

            RollbackPoint point = Pipelines.pointOf(build.getNumber());
            assertThat(point.status()).isEqualTo(PointStatus.GOOD);
            assertThat(point.attributes()).as("a baseline with a value: sampled where the endpoint is reached")
                    .containsEntry(GuardSession.BASELINE + "health", "1.0");
            assertThat(proxy.requests()).as("baseline and watch samples, all from the agent").isGreaterThan(2);
        }
    }
}
