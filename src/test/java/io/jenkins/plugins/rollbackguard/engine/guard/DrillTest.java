package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.IncidentFigures;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

/**
 * The drill both hosts share ({@link Drill}), driven as each host drives it: every leg is a real guarded deploy
 * through {@link GuardDriver#BLOCKING} (the command line's {@code drill}) and {@link GuardDriver#ASYNC} (the machine
 * driven by events, as the Jenkins step's reverting builds run it), with a real ledger, a real health endpoint and
 * real deploy bodies. What the drill says is checked against the ledger: the drill's figure is there, apart from the
 * incidents and the DORA deploys.
 */
class DrillTest {
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
    void shouldGoBackAndForwardAndRecordTheDrillFigureApart(final GuardDriver driver) throws Exception {
        driver.deploy(fixture, fixture.policy(), "1");
        driver.deploy(fixture, fixture.policy(), "2");
        Drill drill = plan("drill-1");

        List<String> installed = new ArrayList<>();
        Drill.Done done = run(driver, drill, installed);

        assertThat(done.verdict()).as(done.explanation() + fixture.describe()).isEqualTo(Drill.Verdict.OK);
        assertThat(installed).as("back to the previous good version, then forward again").containsExactly("1", "2");
        assertThat(fixture.shop.running()).isEqualTo("2");
        assertThat(done.back().status()).isEqualTo(PointStatus.GOOD);
        assertThat(done.back().artifacts()).isEqualTo(drill.previous().artifacts());
        assertThat(done.back().attributes()).containsEntry(RollbackPlanner.TRIGGER, Drill.TRIGGER)
                .containsEntry(IncidentFigures.DRILL_LEG, "back").containsEntry(Drill.ID, "drill-1");
        assertThat(done.forward().status()).isEqualTo(PointStatus.GOOD);
        assertThat(done.forward().attributes()).containsEntry(IncidentFigures.DRILL_LEG, IncidentFigures.FORWARD);
        assertThat(done.back().revertOf()).as("a drill reverts nothing").isZero();
        assertThat(fixture.ledger.point(GuardFixture.ENV, 2).status()).as("the point drilled from stays good")
                .isEqualTo(PointStatus.GOOD);
        IncidentFigures figures = fixture.ledger.incidents(GuardFixture.ENV);
        assertThat(figures.drills()).hasSize(1);
        assertThat(figures.drills().get(0).pointId()).isEqualTo(done.back().id());
        assertThat(done.figure()).isEqualTo(figures.drills().get(0));
        assertThat(done.figure().timeToRestore()).isPresent();
        assertThat(done.timeToRestore()).isNotEqualTo("not recorded");
        assertThat(figures.incidents()).as("never an incident").isEmpty();
        assertThat(fixture.ledger.dora(GuardFixture.ENV).deploys()).as("drills are not deploys").isEqualTo(2);
        assertThat(drill.next(fixture.ledger)).as("asked again, the ledger says it is over").isEqualTo(done);
    }

    @ParameterizedTest
    @EnumSource(GuardDriver.class)
    void shouldSayTheRehearsedRestoreFailedWhenThePreviousVersionTrips(final GuardDriver driver) throws Exception {
        driver.deploy(fixture, fixture.policy(), "1");
        driver.deploy(fixture, fixture.policy(), "2");
        fixture.shop.breakVersion("1");

        Drill.Done done = run(driver, plan("drill-2"), new ArrayList<>());

        assertThat(done.verdict()).as(done.explanation() + fixture.describe()).isEqualTo(Drill.Verdict.BACK_FAILED);
        assertThat(done.explanation()).contains("did not pass its watch").contains("REVERTED");
        assertThat(done.forward()).as("no roll forward after a failed restore").isNull();
        assertThat(done.figure()).isNull();
        assertThat(fixture.shop.running()).as("the guard of the leg reverted it").isEqualTo("2");
        IncidentFigures figures = fixture.ledger.incidents(GuardFixture.ENV);
        assertThat(figures.drills()).isEmpty();
        assertThat(figures.incidents()).as("a failed drill is no incident").isEmpty();
    }

    @Test
    void shouldTakeUpADrillFromTheLedgerAfterARestart() throws Exception {
        GuardDriver driver = GuardDriver.ASYNC;
        driver.deploy(fixture, fixture.policy(), "1");
        driver.deploy(fixture, fixture.policy(), "2");
        Drill first = plan("drill-3");
        Drill.Deploy back = (Drill.Deploy) first.next(fixture.ledger);
        deploy(driver, back);

        Drill resumed = Drill.resume(fixture.ledger, GuardFixture.ENV, first.from().id(), point -> true, "drill-3");
        Drill.Next next = resumed.next(fixture.ledger);
        Drill other = Drill.resume(fixture.ledger, GuardFixture.ENV, first.from().id(), point -> true, "another");

        assertThat(next).isInstanceOf(Drill.Deploy.class);
        assertThat(((Drill.Deploy) next).leg()).isEqualTo(Drill.Leg.FORWARD);
        assertThat(((Drill.Deploy) next).target().id()).isEqualTo(first.from().id());
        assertThat(((Drill.Deploy) next).key()).isEqualTo("drill:forward:drill-3");
        assertThat(Drill.ofKey("drill:forward:drill-3")).contains(new Drill.LegKey(Drill.Leg.FORWARD, "drill-3"));
        assertThat(Drill.ofKey("guard:shop#3")).isEmpty();
        assertThat(((Drill.Deploy) other.next(fixture.ledger)).leg()).as("another drill's legs are not this one's")
                .isEqualTo(Drill.Leg.BACK);
    }

    @Test
    void shouldEndTheDrillWhenALegEndsWithoutAPoint() throws Exception {
        GuardDriver.BLOCKING.deploy(fixture, fixture.policy(), "1");
        GuardDriver.BLOCKING.deploy(fixture, fixture.policy(), "2");
        Drill drill = plan("drill-4");

        Drill.Next next = drill.ended(fixture.ledger, Drill.Leg.BACK, "build #7 FAILURE");

        assertThat(next).isInstanceOf(Drill.Done.class);
        assertThat(((Drill.Done) next).verdict()).isEqualTo(Drill.Verdict.BACK_FAILED);
        assertThat(((Drill.Done) next).explanation()).isEqualTo("the drill's leg back to %s ended without a verdict "
                .formatted(drill.previous().label()) + "(build #7 FAILURE)");
    }

    @Test
    void shouldRefuseProductionAFrozenEnvironmentAndASingleGoodPoint() throws Exception {
        EnvironmentName production = EnvironmentName.of("production");
        assertThatThrownBy(() -> Drill.plan(fixture.ledger, production, false, "allowProduction: true", p -> true, "x"))
                .isInstanceOf(GuardRefusedException.class).hasMessage("environment 'production' looks like production: "
                        + "a drill deploys an older version there; use a staging environment or allowProduction: true");
        assertThatThrownBy(() -> Drill.checkName(EnvironmentName.of("eu-live"), false, "--allow-production"))
                .isInstanceOf(GuardRefusedException.class).hasMessageContaining("or --allow-production");
        assertThatThrownBy(() -> plan("x")).isInstanceOf(GuardRefusedException.class)
                .hasMessage("environment 'shop' has no good point to drill with");

        GuardDriver.BLOCKING.deploy(fixture, fixture.policy(), "1");
        assertThatThrownBy(() -> plan("x")).isInstanceOf(GuardRefusedException.class)
                .hasMessageStartingWith("environment 'shop' needs two good points with artifacts for a drill; it has "
                        + "only shop#1");
        GuardDriver.BLOCKING.deploy(fixture, fixture.policy(), "2");
        assertThatThrownBy(() -> Drill.plan(fixture.ledger, GuardFixture.ENV, false, "-", p -> p.id() != 1, "x"))
                .as("a good point the host cannot deploy again does not count").isInstanceOf(GuardRefusedException.class)
                .hasMessageContaining("needs two good points");
        assertThatThrownBy(() -> Drill.plan(fixture.ledger, GuardFixture.ENV, false, "-", p -> p.id() != 2, "x"))
                .as("the current good point is deployed again at the end").isInstanceOf(GuardRefusedException.class)
                .hasMessage("environment 'shop' cannot be drilled from %s: this host did not deploy it, so the drill "
                        .formatted(fixture.ledger.point(GuardFixture.ENV, 2).label()) + "could not deploy it again at "
                        + "its end; deploy it here first");
        fixture.ledger.openCircuit(GuardFixture.ENV, "tripped", "guard", 0);
        assertThatThrownBy(() -> plan("x")).isInstanceOf(GuardRefusedException.class)
                .hasMessage("environment 'shop' is frozen (circuit OPEN): reset it before a drill");
        fixture.ledger.resetCircuit(GuardFixture.ENV, "fixed", "alice");
        assertThat(plan("x").previous().id()).isEqualTo(1);
        assertThatThrownBy(() -> Drill.plan(fixture.ledger, EnvironmentName.of("prod-eu"), true, "-", p -> true, "x"))
                .as("allowed: refused only for what it lacks").hasMessage("environment 'prod-eu' has no good point to "
                        + "drill with");
    }

    private Drill plan(final String id) {
        return Drill.plan(fixture.ledger, GuardFixture.ENV, false, "--allow-production", point -> true, id);
    }

    /** Drives a drill to its end as a host does: deploy each leg it asks for, then tell it the deploy ended. */
    private Drill.Done run(final GuardDriver driver, final Drill drill, final List<String> installed) throws Exception {
        Drill.Next next = drill.next(fixture.ledger);
        while (next instanceof Drill.Deploy deploy) {
            deploy(driver, deploy);
            installed.add(fixture.shop.running());
            next = drill.ended(fixture.ledger, deploy.leg(), "deployed");
        }
        return (Drill.Done) next;
    }

    private void deploy(final GuardDriver driver, final Drill.Deploy leg) throws Exception {
        RollbackPoint target = leg.target();
        DeployRequest request = new DeployRequest(PointSource.cli("drill-" + target.id()), target.artifacts(),
                target.gitCommit(), target.parameters(), "tester", null, 0, Drill.TRIGGER, target.dataVersion(),
                leg.attributes());
        driver.start(fixture, fixture.policy(), request, fixture.body()).outcome();
    }
}
