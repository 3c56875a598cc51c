package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.testing.FaultyHttpServer;

/**
 * Tests the baselines phase of the class {@link GuardSession} for hosts that drive the phases themselves: sampled
 * through the host's probes without a thread waiting, so that a preparation running on the sample pool (where the
 * Jenkins step prepares) cannot wait on samples queued behind it; a revert reuses the baselines of the deploy it
 * reverts without sampling.
 */
class GuardSessionBaselinesTest {
    @TempDir
    private Path root;

    @ParameterizedTest(name = "{0} host probe")
    @EnumSource(ReachingHost.Shape.class)
    void shouldSampleBaselinesThroughTheHostsProbesFromASamplePoolThreadWithoutWaiting(final ReachingHost.Shape shape)
            throws Exception {
        try (FaultyHttpServer agentOnly = new FaultyHttpServer(); MachineRig rig = new MachineRig(root, 1)) {
            String unreachable = "http://127.0.0.1:" + FaultyHttpServer.refusedPort() + "/json";
            GuardSession session = rig.session(MachineRig.relativeProbePolicy("prepared-on-pool", unreachable, "100ms",
                    5, 3));
            ReachingHost agent = new ReachingHost(rig.localHost(session), url -> agentOnly.url() + "/json", shape,
                    rig.scheduler());
            CompletableFuture<Map<String, Baseline>> baselines = new CompletableFuture<>();

            // the only thread of the sample pool asks for the baselines; the timer fires their samples onto that pool
            rig.samples().execute(() -> session.sampleBaselines(request(0), agent::probe).whenComplete((b, e) -> {
                if (e != null) {
                    baselines.completeExceptionally(e);
                }
                else {
                    baselines.complete(b);
                }
            }));

            Map<String, Baseline> sampled = baselines.get(30, TimeUnit.SECONDS);
            assertThat(sampled).containsOnlyKeys("rate");
            assertThat(sampled.get("rate").value()).hasValue(0.97);
            assertThat(sampled.get("rate").samples()).isEqualTo(3);
            assertThat(agent.samples()).isEqualTo(3);
            assertThat(rig.samples().failures()).isEmpty();
        }
    }

    @Test
    void shouldReuseTheBaselinesOfTheRevertedDeployWithoutSampling() throws Exception {
        try (MachineRig rig = new MachineRig(root, 1)) {
            GuardSession session = rig.session(MachineRig.relativeProbePolicy("reverting", "http://127.0.0.1:9/json",
                    "100ms", 5, 3));
            RollbackPoint bad = rig.ledger().record(RollbackPoint.builder(EnvironmentName.of("reverting"),
                    PointSource.cli("bad")).attribute(GuardSession.BASELINE + "rate", "0.5"), "tester", "the bad deploy");
            AtomicInteger built = new AtomicInteger();

            Map<String, Baseline> reused = session.sampleBaselines(request(bad.id()), spec -> {
                built.incrementAndGet();
                throw new AssertionError("a revert samples no baseline");
            }).get(10, TimeUnit.SECONDS);

            assertThat(reused).containsOnlyKeys("rate");
            assertThat(reused.get("rate").value()).hasValue(0.5);
            assertThat(built).hasValue(0);
        }
    }

    @Test
    void shouldKeepTheBaselineSamplesWithTheirCountsOnThePointForTheJudges() {
        java.time.Instant at = java.time.Instant.parse("2026-12-02T10:00:00Z");
        List<io.jenkins.plugins.rollbackguard.engine.health.Measurement> taken = List.of(
                io.jenkins.plugins.rollbackguard.engine.health.Measurement.counted(at, 12, 1000, "3 of 1000"),
                io.jenkins.plugins.rollbackguard.engine.health.Measurement.counted(at.plusSeconds(10), 15, 1410, ""));
        String written = GuardSession.writeSamples(taken);
        assertThat(written).isEqualTo("1796205600000 0.012 SUCCESS 12.0/1000.0;1796205610000 0.010638297872340425 "
                + "SUCCESS 15.0/1410.0");
        RollbackPoint point = RollbackPoint.builder(EnvironmentName.of("shop"), PointSource.cli("v2"))
                .attribute(GuardSession.BASELINE + "errors", "0.0113").attribute(GuardSession.BASELINE_SAMPLES + "errors",
                        "2").attribute(GuardSession.BASELINE_SAMPLED + "errors", written)
                .attribute(GuardSession.BASELINE + "latency", "210.0")
                .attribute(GuardSession.BASELINE_SAMPLED + "latency", "1796205600000 210.0 SUCCESS").build();

        Map<String, Baseline> read = GuardSession.baselinesOf(point);

        assertThat(read.get("errors").sampled()).extracting(
                io.jenkins.plugins.rollbackguard.engine.health.Measurement::events).containsExactly(12.0, 15.0);
        assertThat(read.get("errors").sampled()).extracting(
                io.jenkins.plugins.rollbackguard.engine.health.Measurement::trials).containsExactly(1000.0, 1410.0);
        assertThat(read.get("latency").values()).as("a sample written before counts existed").containsExactly(210.0);
        assertThat(read.get("latency").sampled().get(0).hasCounts()).isFalse();
    }

    private static DeployRequest request(final long revertOf) {
        return new DeployRequest(PointSource.cli("run"), List.of(), null, Map.of(), "tester", null, revertOf,
                "manual", null, Map.of());
    }
}
