package io.jenkins.plugins.rollbackguard.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests the incident figures ({@link Incidents}, {@link IncidentFigures}) on ledgers built event by event. */
class IncidentsTest {
    private static final EnvironmentName PROD = EnvironmentName.of("production");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    private Path root;

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);

    private Ledger open() {
        return Ledger.open(root, Ledger.Options.defaults().withClock(now::get));
    }

    private Ledger openCompactingEveryRecord() {
        return Ledger.open(root, Ledger.Options.defaults().withClock(now::get).withCompactAfter(1));
    }

    private void at(final int seconds) {
        now.set(T0.plusSeconds(seconds));
    }

    private static RollbackPoint.Builder draft(final int build) {
        return RollbackPoint.builder(PROD, PointSource.jenkins("shop/deploy", build))
                .artifact(new ArtifactRef("shop.jar", "a".repeat(64), 42, null));
    }

    /** Records and deploys a point; its watch begins at {@code watchAt}. */
    private RollbackPoint deploy(final Ledger ledger, final RollbackPoint.Builder draft, final int watchAt) {
        RollbackPoint point = ledger.record(draft, "guard", "deploy");
        ledger.transition(PROD, point.id(), PointStatus.DEPLOYING, "guard", "deploying");
        at(watchAt);
        return ledger.transition(PROD, point.id(), PointStatus.WATCHING, "guard", "watching");
    }

    /** Judges a watched point GOOD, with the measurements the guard keeps: each probe's first passing sample. */
    private RollbackPoint good(final Ledger ledger, final long id, final int goodAt, final Instant... firstPasses) {
        StringBuilder watch = new StringBuilder("{");
        for (int i = 0; i < firstPasses.length; i++) {
            watch.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":{\"probe\":\"p").append(i)
                    .append("\",\"measurements\":[{\"at\":\"").append(firstPasses[i].minusSeconds(1))
                    .append("\",\"value\":0.2,\"outcome\":\"FAILURE\"},{\"at\":\"").append(firstPasses[i])
                    .append("\",\"value\":0.01,\"outcome\":\"SUCCESS\"},{\"at\":\"").append(firstPasses[i].plusSeconds(1))
                    .append("\",\"value\":0.01,\"outcome\":\"SUCCESS\"}]}");
        }
        String text = watch.append('}').toString();
        ledger.update(PROD, id, "guard", "measurements", b -> b.attribute(Incidents.WATCH, text));
        at(goodAt);
        return ledger.transition(PROD, id, PointStatus.GOOD, "guard", "all probes passed", "all probes passed");
    }

    /** v1 good; v2 watched from 100 s, trips at 130 s; its revert is recorded at 131 s and passes its probes' first
     * samples at 160.5 s and 162 s, judged GOOD at 190 s. */
    private RollbackPoint incident(final Ledger ledger) {
        RollbackPoint v1 = deploy(ledger, draft(1), 10);
        good(ledger, v1.id(), 40);
        RollbackPoint v2 = deploy(ledger, draft(2), 100);
        at(130);
        ledger.transition(PROD, v2.id(), PointStatus.BAD, "guard", "5xx 12% > 5%");
        at(131);
        RollbackPoint revert = deploy(ledger, draft(1).revertOf(v2.id()), 150);
        good(ledger, revert.id(), 190, T0.plusMillis(160_500), T0.plusSeconds(162));
        ledger.transition(PROD, v2.id(), PointStatus.REVERTED, "guard", "reverted");
        return v2;
    }

    @Test
    void shouldMeasureAnIncidentFromTheBadDeployToTheRevertsFirstPassingSamples() {
        Ledger ledger = open();
        RollbackPoint v2 = incident(ledger);

        Incident incident = ledger.incident(PROD, v2.id()).orElseThrow();

        assertThat(incident.timeToDetect()).as("watch began 100 s, BAD at 130 s").contains(Duration.ofSeconds(30));
        assertThat(incident.timeToRestore()).as("BAD at 130 s, every probe passed once at 162 s (not GOOD at 190 s)")
                .contains(Duration.ofSeconds(32));
        assertThat(incident.duration()).contains(Duration.ofSeconds(62));
        assertThat(incident.restoredBy()).isEqualTo(3);
        assertThat(ledger.incident(PROD, 3)).as("the restoring point finds the same incident").contains(incident);
        assertThat(incident.describe()).isEqualTo("time to detect 30.0 s, time to restore 32.0 s, incident duration 62.0 s");
        assertThat(incident.report(PROD).durationMs()).isEqualTo(62_000L);
        IncidentFigures figures = ledger.incidents(PROD);
        assertThat(figures.incidents()).containsExactly(incident);
        assertThat(figures.drills()).isEmpty();
        assertThat(figures.timeToRestore().median()).contains(Duration.ofSeconds(32));
        assertThat(ledger.dora(PROD).medianTimeToRestore()).as("DORA's time to restore is the same figure")
                .contains(Duration.ofSeconds(32));
        assertThat(Ledger.open(root).incident(PROD, v2.id())).as("replayed from the journal").contains(incident);
    }

    @Test
    void shouldKeepTheFiguresAcrossSnapshots() {
        Ledger ledger = openCompactingEveryRecord();
        RollbackPoint v2 = incident(ledger);
        Incident incident = ledger.incident(PROD, v2.id()).orElseThrow();

        Ledger reopened = openCompactingEveryRecord();

        assertThat(reopened.incident(PROD, v2.id())).contains(incident);
        assertThat(reopened.incidents(PROD).duration().median()).contains(Duration.ofSeconds(62));
    }

    @Test
    void shouldReportDrillsApart() {
        Ledger ledger = open();
        RollbackPoint v1 = deploy(ledger, draft(1), 10);
        good(ledger, v1.id(), 40);
        at(50);
        RollbackPoint drill = deploy(ledger, draft(1).attribute(Incidents.TRIGGER, Incidents.DRILL), 60);
        good(ledger, drill.id(), 90, T0.plusSeconds(65));
        at(100);
        RollbackPoint forward = deploy(ledger, draft(1).attribute(Incidents.TRIGGER, Incidents.DRILL)
                .attribute(IncidentFigures.DRILL_LEG, IncidentFigures.FORWARD), 110);
        good(ledger, forward.id(), 140, T0.plusSeconds(115));

        IncidentFigures figures = ledger.incidents(PROD);

        assertThat(figures.incidents()).as("a drill is no incident").isEmpty();
        assertThat(figures.drills()).as("the roll forward restores nothing").hasSize(1);
        assertThat(figures.drills().get(0).timeToRestore()).as("recorded at 50 s, passing at 65 s")
                .contains(Duration.ofSeconds(15));
        assertThat(figures.drills().get(0).timeToDetect()).as("nothing to detect in a drill").isEmpty();
        assertThat(figures.drillTimeToRestore().median()).contains(Duration.ofSeconds(15));
        assertThat(figures.timeToRestore().count()).isZero();
    }

    @Test
    void shouldHaveNoIncidentWithoutATrip() {
        Ledger ledger = open();
        good(ledger, deploy(ledger, draft(1), 10).id(), 40);
        good(ledger, deploy(ledger, draft(2), 60).id(), 90);

        assertThat(ledger.incidents(PROD).incidents()).isEmpty();
        assertThat(ledger.incident(PROD, 2)).isEmpty();
        assertThat(ledger.incidents(PROD).timeToDetect().describe()).isEqualTo("none");
    }

    @Test
    void shouldLeaveAnIncidentOpenWhileItsRevertNeverPassedAndEndItAtTheNextGoodPoint() {
        Ledger ledger = open();
        good(ledger, deploy(ledger, draft(1), 10).id(), 40);
        RollbackPoint v2 = deploy(ledger, draft(2), 100);
        at(130);
        ledger.transition(PROD, v2.id(), PointStatus.BAD, "guard", "5xx");
        RollbackPoint revert = deploy(ledger, draft(1).revertOf(v2.id()), 150);
        at(180);
        ledger.transition(PROD, revert.id(), PointStatus.BAD, "guard", "the revert failed its watch too");

        Incident open = ledger.incident(PROD, v2.id()).orElseThrow();
        assertThat(open.isOpen()).isTrue();
        assertThat(open.timeToDetect()).contains(Duration.ofSeconds(30));
        assertThat(open.timeToRestore()).as("not restored: no figure, never a guess").isEmpty();
        assertThat(open.duration()).isEmpty();
        assertThat(open.describe()).isEqualTo("time to detect 30.0 s, time to restore not restored yet, incident duration open");
        assertThat(ledger.incidents(PROD).open()).contains(open);
        assertThat(ledger.incidents(PROD).timeToRestore().count()).as("an open incident is not in the restore figures")
                .isZero();
        assertThat(ledger.incidents(PROD).incidents()).as("the failed revert is part of the same incident").hasSize(1);

        RollbackPoint fix = deploy(ledger, draft(3), 900);
        good(ledger, fix.id(), 1000, T0.plusSeconds(930));

        Incident closed = ledger.incident(PROD, v2.id()).orElseThrow();
        assertThat(closed.restoredBy()).as("a fix that passes restores it").isEqualTo(fix.id());
        assertThat(closed.timeToRestore()).contains(Duration.ofSeconds(800));
    }

    @Test
    void shouldEndAnIncidentAtAnAdoptedPointOrAGoodPointWithoutMeasurements() {
        Ledger ledger = open();
        good(ledger, deploy(ledger, draft(1), 10).id(), 40);
        RollbackPoint v2 = deploy(ledger, draft(2), 100);
        at(130);
        ledger.transition(PROD, v2.id(), PointStatus.BAD, "guard", "5xx");
        at(400);
        ledger.record(draft(4).adopted(), "alice", "adopted what runs now");

        assertThat(ledger.incident(PROD, v2.id()).flatMap(Incident::timeToRestore)).contains(Duration.ofSeconds(270));
    }

    @Test
    void shouldOpenNoIncidentForAPointMarkedBadAfterANewerOneReplacedIt() {
        Ledger ledger = open();
        RollbackPoint v1 = good(ledger, deploy(ledger, draft(1), 10).id(), 40);
        good(ledger, deploy(ledger, draft(2), 60).id(), 90);
        at(500);
        ledger.transition(PROD, v1.id(), PointStatus.BAD, "alice", "it was wrong all along");

        assertThat(ledger.incidents(PROD).incidents()).isEmpty();
        assertThat(ledger.dora(PROD).failures()).as("still a failure for DORA").isEqualTo(1);
    }

    @Test
    void shouldKeepTheFirstWatchStartWhenAWatchResumes() {
        Ledger ledger = open();
        good(ledger, deploy(ledger, draft(1), 10).id(), 40);
        RollbackPoint v2 = deploy(ledger, draft(2), 100);
        at(110);
        ledger.transition(PROD, v2.id(), PointStatus.INTERRUPTED, "ledger", "its guard died");
        at(300);
        ledger.transition(PROD, v2.id(), PointStatus.WATCHING, "guard", "resumed");
        at(320);
        ledger.transition(PROD, v2.id(), PointStatus.BAD, "guard", "5xx");

        assertThat(ledger.incident(PROD, v2.id()).flatMap(Incident::timeToDetect)).as("the bad version ran from 100 s")
                .contains(Duration.ofSeconds(220));
    }

    @Test
    void shouldGiveMedianAndNearestRankP95() {
        List<Incident> incidents = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            incidents.add(new Incident(i, false, T0, T0.plusSeconds(i), i + 100, T0.plusSeconds(2L * i)));
        }
        IncidentFigures figures = new IncidentFigures(PROD, incidents, List.of());

        assertThat(figures.timeToDetect().median()).as("mean of the 10th and 11th").contains(Duration.ofMillis(10_500));
        assertThat(figures.timeToDetect().p95()).as("19th of 20").contains(Duration.ofSeconds(19));
        assertThat(figures.duration().p95()).contains(Duration.ofSeconds(38));
        assertThat(figures.timeToRestore().describe()).isEqualTo("median 10.5 s, p95 19.0 s");
        assertThat(figures.overGoal()).isZero();
    }

    @Test
    void shouldPrintDurationsWithUnits() {
        assertThat(IncidentFigures.human(Duration.ofMillis(840))).isEqualTo("840 ms");
        assertThat(IncidentFigures.human(Duration.ofMillis(24_797))).isEqualTo("24.8 s");
        assertThat(IncidentFigures.human(Duration.ofSeconds(243))).isEqualTo("4 min 03 s");
        assertThat(IncidentFigures.human(Duration.ofMinutes(125))).isEqualTo("2 h 05 min");
        assertThat(IncidentFigures.human(Optional.empty(), "-")).isEqualTo("-");
    }

    @Test
    void shouldNameTheWatchAttributeTheGuardWrites() {
        assertThat(Incidents.WATCH).isEqualTo(io.jenkins.plugins.rollbackguard.engine.guard.GuardState.WATCH);
        assertThat(Incidents.TRIGGER).isEqualTo(io.jenkins.plugins.rollbackguard.engine.guard.RollbackPlanner.TRIGGER);
    }
}
