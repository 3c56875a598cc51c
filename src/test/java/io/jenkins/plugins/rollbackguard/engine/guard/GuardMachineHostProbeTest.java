package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.Probe;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that the {@link GuardMachine} samples baselines through its host's probes, as it samples the watch (M6): a
 * Jenkins build whose endpoint only its agent reaches gets its baseline from the agent. The engine twin of
 * {@code WithRollbackGuardAgentProbeITest}, which cannot run here: the endpoint's host does not resolve here, so a
 * sample taken by this process fails, while the host's probe (the "agent") answers.
 */
class GuardMachineHostProbeTest {
    private static final String POLICY = """
            probes:
              - type: http
                name: health
                url: http://agent-only.invalid/health
                jsonPointer: /rate
                failIf: drop > 20%
                analysis: {interval: 1s, count: 2}
            """;

    @TempDir
    private Path root;

    @Test
    void shouldTakeTheBaselineAndTheWatchThroughTheHostsProbe() {
        try (AsyncHostFixture host = new AsyncHostFixture(root, Ledger.WriteHook.NONE)) {
            GuardSession session = host.session(POLICY);
            List<String> sampledBy = new CopyOnWriteArrayList<>();
            AtomicInteger samples = new AtomicInteger();
            GuardMachine.Host agent = new AgentOnlyHost(host.host(session), sampledBy, samples);
            FakeDeploy deploy = new FakeDeploy();
            BodyDriver driver = new BodyDriver(deploy, host.work(), false, null);

            driver.start(session.machine(agent), AsyncHostFixture.request(7));

            await().atMost(Duration.ofSeconds(30)).until(() -> deploy.point != null);
            RollbackPoint deploying = host.ledger().point(AsyncHostFixture.ENV, deploy.point.id());
            assertThat(deploying.attributes()).as("the baseline the agent sampled").containsEntry(
                    GuardSession.BASELINE + "health", "0.99");
            int baselineSamples = samples.get();
            assertThat(baselineSamples).as("preflight's one reach and the baseline samples, all through the host's probe")
                    .isEqualTo(1 + new PolicyReader().parse("p", "environment: prod\n" + POLICY).probes().get(0)
                            .analysis().baselineSamples());
            driver.ended(new GuardMachine.Finished());
            await().atMost(Duration.ofSeconds(30)).until(() -> deploy.outcome != null);
            assertThat(deploy.outcome.result()).isEqualTo(GuardOutcome.Result.GOOD);
            assertThat(samples.get()).as("the watch samples through it too").isGreaterThan(baselineSamples);
            assertThat(sampledBy).containsOnly("health");
        }
    }

    /** A host whose probes answer as the deploy's agent would; every other method is the local host's. */
    private record AgentOnlyHost(GuardMachine.Host local, List<String> sampledBy, AtomicInteger samples)
            implements GuardMachine.Host {
        @Override
        public Probe probe(final ProbeSpec spec) {
            return new Probe() {
                @Override
                public String name() {
                    return spec.name();
                }

                @Override
                public Measurement sample() {
                    sampledBy.add(spec.name());
                    samples.incrementAndGet();
                    return Measurement.of(Instant.now(), 0.99, Outcome.SUCCESS, "{\"rate\": 0.99}");
                }
            };
        }

        @Override
        public BackupManifest takeBackup(final BackupSpec spec, final String key) {
            return local.takeBackup(spec, key);
        }

        @Override
        public java.util.Optional<BackupManifest> findBackup(final BackupSpec spec, final String key) {
            return local.findBackup(spec, key);
        }

        @Override
        public Reverter reverter() {
            return local.reverter();
        }

        @Override
        public java.util.concurrent.Executor work() {
            return local.work();
        }

        @Override
        public boolean deployResumes() {
            return true;
        }
    }

    /** Keeps what the driver asks; the deploy itself is reported by the test. */
    private static final class FakeDeploy implements BodyDriver.Body {
        private volatile RollbackPoint point;
        private volatile GuardOutcome outcome;

        @Override
        public void start(final RollbackPoint deploying) {
            point = deploying;
        }

        @Override
        public void cancel(final String reason) {
            throw new AssertionError("nothing is cancelled here: " + reason);
        }

        @Override
        public void remember(final boolean launched, final String end) {
            // kept in memory only: no restart here
        }

        @Override
        public void done(final GuardOutcome result) {
            outcome = result;
        }

        @Override
        public void failed(final Throwable failure) {
            throw new AssertionError("the guard failed", failure);
        }
    }
}
