package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * The baselines of two probes are sampled at the same time, each at its own interval, against a real health
 * endpoint (both drivers): the times of their samples, read back from the ledger, interleave; each sample has its
 * progress line.
 */
class BaselinesAtOnceTest {
    @TempDir
    Path dir;

    private GuardFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new GuardFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldSampleTheBaselinesOfTwoProbesAtTheSameTime(final GuardDriver driver) throws Exception {
        Policy policy = new PolicyReader().parse("two.yaml", """
                environment: %s
                probes:
                  - type: http
                    name: rate-a
                    url: %s/health
                    jsonPointer: /rate
                    failIf: drop > 20%%
                    analysis: {interval: 200ms, count: 2, baselineSamples: 4}
                  - type: http
                    name: rate-b
                    url: %s/health
                    jsonPointer: /rate
                    failIf: drop > 20%%
                    analysis: {interval: 300ms, count: 2, baselineSamples: 4}
                """.formatted(GuardFixture.ENV, fixture.shop.url(), fixture.shop.url()));

        GuardOutcome outcome = driver.deploy(fixture, policy, "1");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.GOOD);
        RollbackPoint point = Ledger.open(dir.resolve("ledger")).point(GuardFixture.ENV, fixture.points().get(0).id());
        Map<String, List<Measurement>> kept = GuardSession.baselineSamplesOf(point);
        assertThat(kept.keySet()).containsExactlyInAnyOrder("rate-a", "rate-b");
        assertThat(kept.values()).allSatisfy(samples -> assertThat(samples).hasSize(4)
                .allSatisfy(m -> assertThat(m.outcome()).isEqualTo(Outcome.SUCCESS)));
        List<Sample> merged = new ArrayList<>();
        kept.forEach((probe, samples) -> samples.forEach(m -> merged.add(new Sample(probe, m.at()))));
        merged.sort(Comparator.comparing(Sample::at));
        int switches = 0;
        for (int n = 1; n < merged.size(); n++) {
            switches += merged.get(n).probe().equals(merged.get(n - 1).probe()) ? 0 : 1;
        }
        assertThat(switches).as("one probe after the other would switch once: %s", merged).isGreaterThanOrEqualTo(3);
        Instant lastA = kept.get("rate-a").get(3).at();
        assertThat(kept.get("rate-b").get(0).at()).as("rate-b began before rate-a was done").isBefore(lastA);
        assertThat(point.attributes()).containsEntry(GuardSession.BASELINE + "rate-a", "0.99")
                .containsEntry(GuardSession.BASELINE_SAMPLES + "rate-b", "4");
        List<String> log = List.copyOf(fixture.log);
        for (String probe : List.of("rate-a", "rate-b")) {
            for (int n = 1; n <= 4; n++) {
                String progress = " baseline  %s %d/4: 0.99".formatted(probe, n);
                assertThat(log).as("a progress line per sample").filteredOn(line -> line.endsWith(progress)).hasSize(1);
            }
        }
    }

    private record Sample(String probe, Instant at) {
    }
}
