package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.testing.FaultyHttpServer;

/**
 * The engine twin of "an agent-only endpoint gets its baseline from the agent": the policy names an address the
 * controller cannot reach (a closed port here); only the host's probe reaches the endpoint, as an agent reaches an
 * address the controller cannot. The baseline, and every sample of the watch, must come through the host's probe:
 * a baseline sampled by the session's own probes would be "none", and a relative threshold without a baseline
 * cannot pass.
 */
class AgentOnlyEndpointTest {
    private static final int BASELINE_SAMPLES = 3;
    private static final int COUNT = 5;

    @TempDir
    private Path root;

    @ParameterizedTest(name = "{0} host probe")
    @EnumSource(ReachingHost.Shape.class)
    void shouldSampleTheBaselineAndTheWatchThroughTheHostsProbe(final ReachingHost.Shape shape) throws Exception {
        try (FaultyHttpServer agentOnly = new FaultyHttpServer(); MachineRig rig = new MachineRig(root, 1)) {
            String unreachable = "http://127.0.0.1:" + FaultyHttpServer.refusedPort() + "/json";
            Policy policy = MachineRig.relativeProbePolicy("behind-agent", unreachable, "100ms", COUNT, BASELINE_SAMPLES);
            assertThat(policy.probes().get(0).thresholds().needsBaseline()).isTrue();
            GuardSession session = rig.session(policy);
            Measurement fromController = session.probes().create(policy.probes().get(0)).sampleAsync(Runnable::run)
                    .get(10, TimeUnit.SECONDS);
            assertThat(fromController.outcome()).as("the controller cannot reach the policy's URL")
                    .isEqualTo(Outcome.FAILURE);
            assertThat(fromController.detail()).isEqualTo("connection refused");
            ReachingHost agent = new ReachingHost(rig.localHost(session), url -> agentOnly.url() + "/json", shape,
                    rig.scheduler());

            GuardOutcome outcome = rig.deploy(session, agent, "agent-run", point -> { }).get(60, TimeUnit.SECONDS);

            assertThat(outcome.result()).as(outcome.explanation()).isEqualTo(GuardOutcome.Result.GOOD);
            RollbackPoint point = rig.ledger().point(EnvironmentName.of("behind-agent"), outcome.point().id());
            assertThat(point.attributes().get(GuardSession.BASELINE + "rate")).isNotEqualTo("none").isEqualTo("0.97");
            assertThat(point.attributes().get(GuardSession.MEASUREMENT + "rate")).startsWith("PASSED")
                    .endsWith("(" + COUNT + " samples)");
            // preflight builds and reaches the probe through the host too: the agent-only endpoint is reachable there
            assertThat(agent.built()).as("one probe for preflight, one for the baseline, one for the watch").isEqualTo(3);
            assertThat(agent.samples()).as("preflight's reach, the baseline, the watch")
                    .isEqualTo(1 + BASELINE_SAMPLES + COUNT);
            assertThat(rig.samples().failures()).isEmpty();
            assertThat(rig.errors()).isEmpty();
        }
    }
}
