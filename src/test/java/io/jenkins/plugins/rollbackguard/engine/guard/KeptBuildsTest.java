package io.jenkins.plugins.rollbackguard.engine.guard;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.HashSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointSource;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;

import static org.assertj.core.api.Assertions.*;

class KeptBuildsTest {
    private static final EnvironmentName PROD = EnvironmentName.of("production");

    @TempDir
    private Path root;

    private static Ledger open(final Path dir) {
        return Ledger.open(dir, Ledger.Options.defaults().withFsync(false).withWarnings(warning -> { }));
    }

    private static void deploy(final Ledger ledger, final int build, final PointStatus verdict) {
        deploy(ledger, build, verdict, false);
    }

    /** A deploy; a tripped one is judged BAD by the guard as TripHandler does (its mark), then maybe reverted. */
    private static void deploy(final Ledger ledger, final int build, final PointStatus verdict, final boolean tripped) {
        RollbackPoint point = ledger.record(RollbackPoint.builder(PROD, PointSource.jenkins("shop/deploy", build)),
                "alice", "deploy");
        ledger.transition(PROD, point.id(), PointStatus.DEPLOYING, "guard", "");
        ledger.transition(PROD, point.id(), PointStatus.WATCHING, "guard", "");
        if (tripped) {
            ledger.transition(PROD, point.id(), PointStatus.BAD, "guard", "", "", b -> b.attribute(TripHandler.TRIPPED,
                    "2026-12-01T22:00:00Z"));
            if (verdict == PointStatus.REVERTED) {
                ledger.transition(PROD, point.id(), PointStatus.REVERTED, "guard", "reverted");
            }
            return;
        }
        ledger.transition(PROD, point.id(), verdict, "guard", "");
    }

    @Test
    void shouldKeepATrippedBuildAndNeverReleaseIt() {
        Ledger ledger = open(root);
        deploy(ledger, 1, PointStatus.GOOD);
        deploy(ledger, 2, PointStatus.REVERTED, true);
        deploy(ledger, 3, PointStatus.BAD); // marked bad, not a trip: released like any other
        for (int build = 4; build <= 40; build++) {
            deploy(ledger, build, PointStatus.GOOD);
        }

        KeptBuilds full = KeptBuilds.plan(ledger.history(PROD, 0, 40), 2, true);

        assertThat(full.keep()).extracting(PointSource::build).containsExactly(40, 39, 2);
        assertThat(full.releaseCandidates()).extracting(PointSource::build).contains(3, 1).doesNotContain(2);
        assertThat(KeptBuilds.tripped(ledger.point(PROD, 2))).isTrue();
        assertThat(KeptBuilds.tripped(ledger.point(PROD, 3))).isFalse();
    }

    @Test
    void shouldKeepTheNewestGoodBuildsAndReleaseOnlyThoseThatMayHaveBeenKept() {
        Ledger ledger = open(root);
        for (int build = 1; build <= 100; build++) {
            deploy(ledger, build, build % 3 == 0 ? PointStatus.BAD : PointStatus.GOOD);
        }

        KeptBuilds plan = KeptBuilds.plan(ledger.history(PROD, 0, 100), 2);

        assertThat(plan.keep()).extracting(PointSource::build).containsExactly(100, 98);
        assertThat(plan.releaseCandidates()).extracting(PointSource::build).containsExactly(99, 97, 96, 95);
    }

    @Test
    void shouldReconcileEveryBuildThatIsNotKept() {
        Ledger ledger = open(root);
        for (int build = 1; build <= 30; build++) {
            deploy(ledger, build, PointStatus.GOOD);
        }

        KeptBuilds full = KeptBuilds.plan(ledger.history(PROD, 0, 30), 2, true);

        assertThat(full.keep()).extracting(PointSource::build).containsExactly(30, 29);
        assertThat(full.releaseCandidates()).hasSize(28).extracting(PointSource::build).startsWith(28).endsWith(1);
        assertThat(KeptBuilds.plan(ledger.history(PROD, 0, 30), 2).releaseCandidates())
                .extracting(PointSource::build).containsExactly(28, 27);
    }

    /**
     * Replays random histories: deploys with random verdicts, good points later found bad or reverted; after each
     * GOOD verdict the host applies the plan to the ledger's newest points, releasing the candidates it kept. Its
     * kept builds must then be exactly the newest keepGood restorable ones, and one verdict touches few builds.
     */
    @Test
    void shouldKeepExactlyTheNewestGoodBuildsAfterEveryVerdict() {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            int keepGood = 1 + random.nextInt(5);
            Ledger ledger = open(root.resolve("seed-" + seed));
            Set<PointSource> kept = new HashSet<>();
            Set<PointSource> tripped = new HashSet<>();
            int maxTouched = 0;
            for (int build = 1; build <= 120; build++) {
                int size = build - 1;
                if (size > 0 && random.nextInt(6) == 0) { // an older good point is found bad, or reverted
                    RollbackPoint old = ledger.point(PROD, 1 + random.nextInt(size));
                    if (old.status() == PointStatus.GOOD) {
                        ledger.transition(PROD, old.id(), random.nextBoolean() ? PointStatus.BAD : PointStatus.REVERTED,
                                "alice", "found bad later");
                    }
                }
                PointStatus verdict = List.of(PointStatus.GOOD, PointStatus.GOOD, PointStatus.BAD, PointStatus.ABORTED,
                        PointStatus.INCONCLUSIVE, PointStatus.REVERTED).get(random.nextInt(6));
                boolean trip = verdict == PointStatus.REVERTED || verdict == PointStatus.BAD && random.nextBoolean();
                deploy(ledger, build, verdict, trip);
                if (trip) {
                    tripped.add(PointSource.jenkins("shop/deploy", build));
                }
                if (verdict != PointStatus.GOOD && !trip) { // the host plans after a GOOD verdict and after a trip
                    continue;
                }
                List<RollbackPoint> window = ledger.history(PROD, 0, Math.min(build, KeptBuilds.window(keepGood)));
                KeptBuilds plan = KeptBuilds.plan(window, keepGood);
                kept.addAll(plan.keep());
                plan.releaseCandidates().forEach(kept::remove);
                maxTouched = Math.max(maxTouched, plan.keep().size() + plan.releaseCandidates().size());

                Set<PointSource> expected = new LinkedHashSet<>();
                ledger.history(PROD, 0, build).stream().filter(p -> p.status().isRestorable()).limit(keepGood)
                        .forEach(p -> expected.add(p.source()));
                expected.addAll(tripped); // every tripped build, as long as its point
                assertThat(kept).as("seed %d, build %d, keepGood %d", seed, build, keepGood)
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
            assertThat(maxTouched).as("seed %d: builds one verdict touches, of 120", seed).isLessThan(60);
        }
    }
}
