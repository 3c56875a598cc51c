package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.*;

/** Tests the class {@link BuildIndex} against a brute-force scan of the ledger it observes. */
class BuildIndexTest {
    private static final List<EnvironmentName> ENVIRONMENTS = List.of(EnvironmentName.of("production"),
            EnvironmentName.of("staging"), EnvironmentName.of("eu-shop"));
    private static final List<String> JOBS = List.of("shop/deploy", "erp", "folder/payments", "shop/deploy-eu");

    @TempDir
    private Path root;

    private final BuildIndex index = new BuildIndex();
    private final List<String> warnings = new ArrayList<>();

    private Ledger open() {
        Ledger ledger = Ledger.open(root, Ledger.Options.defaults().withFsync(false).withCompactAfter(40)
                .withWarnings(warnings::add).withEvents(index));
        index.attach(ledger);
        return ledger;
    }

    @Test
    void shouldAnswerWithoutTouchingTheDiskAfterWarmUp() {
        Ledger ledger = open();
        Random random = new Random(20_261_201L);
        for (int i = 0; i < 200; i++) {
            recordRandom(ledger, random);
        }
        assertThat(index.pointOf("shop/deploy", 1)).isNotNull(); // warm-up: the one scan

        long before = ledger.diskAccesses();
        int found = 0;
        for (int lookup = 0; lookup < 1000; lookup++) {
            String job = JOBS.get(lookup % JOBS.size());
            found += index.pointOf(job, 1 + lookup % 60).isPresent() ? 1 : 0;
            index.environmentsOf(job);
            index.newestOf(job, ENVIRONMENTS.get(lookup % ENVIRONMENTS.size()), 50);
            index.revertOf(ENVIRONMENTS.get(0), 1 + lookup % 50);
        }

        assertThat(ledger.diskAccesses() - before).as("disk accesses over 1,000 lookups").isZero();
        assertThat(found).as("lookups that found a point").isPositive();
        assertThat(warnings).isEmpty();
    }

    @Test
    void shouldCountTheDiskAccessesOfLedgerReads() {
        Ledger ledger = open();
        ledger.record(RollbackPoint.builder(ENVIRONMENTS.get(0), PointSource.jenkins("erp", 1)), "a", "");
        long before = ledger.diskAccesses();

        ledger.lastGood(ENVIRONMENTS.get(0));
        ledger.environments();
        assertThat(ledger.points(ENVIRONMENTS.get(0), List.of(1L, 7L, 1L))).extracting(RollbackPoint::id)
                .containsExactly(1L, 1L);

        assertThat(ledger.diskAccesses() - before).as("one each, the batch read included").isEqualTo(3);
    }

    @Test
    void shouldSkipAnUnreadableEnvironmentAndRetryItOnlyAfterAMinute() throws java.io.IOException {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(1);
        BuildIndex timed = new BuildIndex(nanos::get);
        Ledger ledger = Ledger.open(root, Ledger.Options.defaults().withFsync(false).withWarnings(warnings::add)
                .withEvents(timed));
        timed.attach(ledger);
        ledger.record(RollbackPoint.builder(ENVIRONMENTS.get(0), PointSource.jenkins("erp", 1)), "a", "");
        ledger.record(RollbackPoint.builder(ENVIRONMENTS.get(1), PointSource.jenkins("erp", 2)), "a", "");
        java.nio.file.Path journal = root.resolve(ENVIRONMENTS.get(1).value()).resolve("journal-0.jsonl");
        java.nio.file.Files.writeString(journal, "{not json\n{\"v\":1}\n", java.nio.file.StandardOpenOption.APPEND);
        Ledger reopened = Ledger.open(root, Ledger.Options.defaults().withFsync(false).withWarnings(warnings::add));
        timed.attach(reopened);

        assertThat(timed.pointOf("erp", 1)).as("the readable environment").isPresent();
        assertThat(timed.pointOf("erp", 2)).as("the corrupt one").isEmpty();
        long before = reopened.diskAccesses();
        for (int i = 0; i < 100; i++) {
            timed.pointOf("erp", 2);
        }
        assertThat(reopened.diskAccesses() - before).as("no rescan within the minute").isZero();

        nanos.addAndGet(61_000_000_000L);
        timed.pointOf("erp", 2);
        assertThat(reopened.diskAccesses() - before).as("one retry after it").isPositive();
    }

    @Test
    void shouldAgreeWithAScanOfTheLedgerBeforeAndAfterItsFirstUse() {
        for (long seed = 1; seed <= 20; seed++) {
            BuildIndex fresh = new BuildIndex();
            Path dir = root.resolve("seed-" + seed);
            Ledger ledger = Ledger.open(dir, Ledger.Options.defaults().withFsync(false).withCompactAfter(25)
                    .withWarnings(warnings::add).withEvents(fresh));
            fresh.attach(ledger);
            Random random = new Random(seed);
            int before = random.nextInt(60);
            for (int i = 0; i < before; i++) {
                recordRandom(ledger, random);
            }
            assertAgrees(fresh, ledger, "seed %d after %d points".formatted(seed, before));
            int after = random.nextInt(60);
            for (int i = 0; i < after; i++) {
                recordRandom(ledger, random);
            }
            assertAgrees(fresh, ledger, "seed %d after %d more points".formatted(seed, after));
            fresh.invalidate();
            assertAgrees(fresh, ledger, "seed %d rescanned".formatted(seed));
        }
        assertThat(warnings).isEmpty();
    }

    private static void recordRandom(final Ledger ledger, final Random random) {
        EnvironmentName environment = ENVIRONMENTS.get(random.nextInt(ENVIRONMENTS.size()));
        PointSource source = random.nextInt(5) == 0 ? PointSource.cli("run-" + random.nextInt(1000))
                : PointSource.jenkins(JOBS.get(random.nextInt(JOBS.size())), 1 + random.nextInt(60));
        RollbackPoint.Builder draft = RollbackPoint.builder(environment, source);
        int size = ledger.environments().contains(environment) ? ledger.size(environment) : 0;
        if (size > 0 && random.nextInt(4) == 0) {
            draft.revertOf(1 + random.nextInt(size));
        }
        RollbackPoint point = ledger.record(draft, "alice", "deploy");
        ledger.transition(environment, point.id(), random.nextBoolean() ? PointStatus.ABORTED : PointStatus.BAD,
                "guard", "done");
    }

    private static void assertAgrees(final BuildIndex index, final Ledger ledger, final String context) {
        List<RollbackPoint> all = new ArrayList<>();
        for (EnvironmentName environment : ledger.environments()) {
            for (long id = 1; id <= ledger.size(environment); id++) {
                all.add(ledger.point(environment, id));
            }
        }
        for (String job : JOBS) {
            Set<EnvironmentName> environments = new TreeSet<>();
            all.stream().filter(p -> job.equals(p.source().job())).forEach(p -> environments.add(p.environment()));
            assertThat(index.environmentsOf(job)).as(context + ": environments of " + job)
                    .containsExactlyElementsOf(environments);
            for (int build = 1; build <= 60; build++) {
                final int number = build;
                List<RollbackPoint> ofBuild = all.stream()
                        .filter(p -> job.equals(p.source().job()) && p.source().build() == number).toList();
                Optional<BuildIndex.PointRef> expected = ofBuild.stream()
                        .max(Comparator.comparingLong(RollbackPoint::id))
                        .map(p -> new BuildIndex.PointRef(p.environment(), p.id()));
                if (expected.isPresent()) {
                    assertThat(index.pointOf(job, build)).as(context + ": " + job + " #" + build).isPresent()
                            .get().extracting(BuildIndex.PointRef::id).isEqualTo(expected.get().id());
                }
                else {
                    assertThat(index.pointOf(job, build)).as(context + ": " + job + " #" + build).isEmpty();
                }
                assertThat(index.pointsOf(job, build)).as(context).hasSize(ofBuild.size());
            }
            for (EnvironmentName environment : ENVIRONMENTS) {
                List<Long> newest = all.stream()
                        .filter(p -> job.equals(p.source().job()) && p.environment().equals(environment))
                        .map(RollbackPoint::id).sorted(Comparator.reverseOrder()).limit(5).toList();
                assertThat(index.newestOf(job, environment, 5)).as(context).containsExactlyElementsOf(newest);
            }
        }
        for (RollbackPoint point : all) {
            OptionalLong revert = all.stream()
                    .filter(p -> p.environment().equals(point.environment()) && p.revertOf() == point.id())
                    .mapToLong(RollbackPoint::id).max();
            assertThat(index.revertOf(point.environment(), point.id())).as(context + ": revert of " + point.id())
                    .isEqualTo(revert);
        }
    }
}
