package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;

/**
 * The live log and the timeline are on one clock: the point's deploy start as the ledger keeps it. A guarded deploy
 * that trips and is reverted (real health endpoint, both drivers): every timeline line is the live log's line, and
 * each offset is the time since the deploy start read back from the ledger.
 */
class TimelineClockTest {
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
    void shouldBaseTheLiveLogAndTheTimelineOnTheDeployStartTheLedgerKeeps(final GuardDriver driver) throws Exception {
        driver.deploy(fixture, fixture.policy(), "1");
        fixture.shop.breakVersion("2");
        fixture.log.clear();

        GuardOutcome outcome = driver.deploy(fixture, fixture.policy(), "2");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERTED);
        RollbackPoint bad = Ledger.open(dir.resolve("ledger")).point(GuardFixture.ENV, fixture.points().get(1).id());
        Instant deployStart = GuardState.of(bad).deployStartedAt();
        assertThat(deployStart).isNotNull();
        List<Timeline.Entry> entries = outcome.timeline();
        List<String> live = List.copyOf(fixture.log);
        assertThat(entries).allSatisfy(entry -> {
            assertThat(live).as("the timeline's line is the live log's").contains(entry.line());
            if (entry.at().isBefore(deployStart)) {
                assertThat(entry.stamp()).as("before the deploy: its time of day").matches("\\[\\d\\d:\\d\\d:\\d\\d\\.\\dZ]");
            }
            else {
                assertThat(entry.stamp()).as(entry.line()).isEqualTo(String.format(Locale.ROOT, "[%+10.1fs]",
                        Duration.between(deployStart, entry.at()).toMillis() / 1000.0));
            }
        });
        assertThat(entries).as("the deploy itself is at +0.0s or just after").anySatisfy(entry -> assertThat(entry.line())
                .startsWith("[      +0.").contains("deploying " + bad.label()));
        assertThat(entries).as("the revert goes on with the clock of the deploy it reverts")
                .filteredOn(entry -> entry.message().startsWith("deploying ") && !entry.message().contains(bad.label()))
                .singleElement().satisfies(entry -> assertThat(entry.stamp()).isEqualTo(String.format(Locale.ROOT,
                        "[%+10.1fs]", Duration.between(deployStart, entry.at()).toMillis() / 1000.0)));
        assertThat(live).as("the watch's sample lines are on the same clock")
                .anySatisfy(line -> assertThat(line).matches("\\[ +\\+\\d+\\.\\ds] watch +health: sample 1/3 .*"));
    }

    @Test
    void shouldGoOnWithTheSameFiguresWhenAnchoredAgainAtTheRecordedInstant() {
        Instant deployStart = Instant.parse("2026-12-02T16:42:21.250Z");
        Instant[] now = {deployStart.minusMillis(3400)};
        Timeline first = new Timeline(() -> now[0], GuardListener.silent());
        Timeline.Entry before = first.add("baseline", "sampled");
        first.anchor(deployStart);
        now[0] = deployStart.plusMillis(10_640);
        Timeline.Entry verdict = first.add("verdict", "BAD");
        Timeline resumed = new Timeline(() -> now[0], GuardListener.silent()); // a new process, later
        resumed.anchor(deployStart);
        resumed.anchor(deployStart.plusSeconds(60)); // a nested revert's start does not move it

        assertThat(before.stamp()).isEqualTo("[16:42:17.8Z]");
        assertThat(verdict.stamp()).isEqualTo("[     +10.6s]");
        assertThat(resumed.add("verdict", "BAD").stamp()).isEqualTo(verdict.stamp());
        assertThat(resumed.origin()).contains(deployStart);
    }
}
