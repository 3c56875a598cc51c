package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation;
import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * A guarded deploy whose value drops against its baseline (a real health endpoint, both drivers): its verdict's
 * explanation is written once into the ledger, with the trip, and said once in the timeline and in the live log,
 * though the circuit it opened and the revert's preflight speak of the trip too.
 */
class VerdictExplanationGuardTest {
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
    void shouldWriteTheExplanationOnceAndShowItOnce(final GuardDriver driver) throws Exception {
        Policy relative = fixture.policyWithProbe("{interval: 100ms, count: 3, baselineSamples: 2}", "\"drop > 20%\"");
        driver.deploy(fixture, relative, "1");
        fixture.shop.degradeVersion("2");
        fixture.log.clear();

        GuardOutcome outcome = driver.deploy(fixture, relative, "2");

        assertThat(outcome.result()).as(fixture.describe()).isEqualTo(GuardOutcome.Result.REVERTED);
        RollbackPoint bad = fixture.points().get(1);
        assertThat(bad.status()).isEqualTo(PointStatus.REVERTED);
        Ledger reopened = Ledger.open(dir.resolve("ledger"));
        VerdictExplanation why = reopened.explanation(GuardFixture.ENV, bad.id()).orElseThrow();
        assertThat(why.status()).isEqualTo(VerdictStatus.FAILED);
        assertThat(why.probe()).isEqualTo("health");
        assertThat(why.rule()).isEqualTo("1 failure exceeds failureLimit 0");
        assertThat(why.threshold()).isEqualTo("failIf drop > 20%");
        assertThat(why.metric()).isEqualTo("the number at /rate in the answer of GET " + fixture.shop.url() + "/health");
        assertThat(why.baseline()).isEqualTo(0.99);
        assertThat(why.baselineSamples()).isEqualTo(2);
        assertThat(why.observed()).isEqualTo(0.70);
        assertThat(why.changeText()).isEqualTo("0.70 is 29.3% below the baseline 0.99 (median of 2 samples), -0.29");
        assertThat(why.samples()).isEqualTo(1);
        assertThat(bad.verdict()).isEqualTo(why.text());

        List<String> timeline = outcome.timeline().stream().map(Timeline.Entry::message).toList();
        assertThat(timeline).as("the explanation, once in the timeline").filteredOn(m -> m.contains(why.text()))
                .hasSize(1);
        assertThat(timeline).as("the computed change, nowhere else").filteredOn(m -> m.contains("29.3% below"))
                .hasSize(1);
        assertThat(timeline).as("the circuit's lines name what froze it").anySatisfy(m -> assertThat(m)
                .contains("circuit OPEN for").contains("frozen by the verdict on " + bad.label()));
        assertThat(List.copyOf(fixture.log)).as("the live log says it once too")
                .filteredOn(line -> line.contains("29.3% below")).hasSize(1);
        assertThat(fixture.events(GuardEvent.Type.TRIP)).as("the webhook's TRIP carries the record")
                .singleElement().extracting(GuardEvent::explanation).isEqualTo(why);
        assertThat(fixture.events(GuardEvent.Type.FREEZE)).singleElement().extracting(GuardEvent::explanation)
                .isEqualTo(why);
        RollbackPoint revert = fixture.points().get(2);
        assertThat(reopened.explanation(GuardFixture.ENV, revert.id())).get().extracting(VerdictExplanation::status)
                .isEqualTo(VerdictStatus.PASSED);
    }
}
