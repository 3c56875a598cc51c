package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupManifest;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.WatchState;
import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.ledger.PointStatus;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.testing.FaultyHttpServer;

/**
 * The sample pool under guard machines driven asynchronously (as the Jenkins step drives them): eight deploys with
 * relative thresholds at once reach their verdicts on a pool of four threads and on one, and no task of the pool ever
 * waits on a future ({@link DetectingPool}); a backup of another deploy that lasts ten sample intervals, on the work
 * pool, takes no sample from a watch. Real HTTP endpoints, a real backup command, real time; figures are printed.
 */
@Tag("slow")
class SamplePoolTest {
    private static final String INTERVAL = "100ms";
    private static final long INTERVAL_MILLIS = 100;

    @TempDir
    private Path root;

    /**
     * Eight deploys at once. {@code local}: the session's own HTTP probes, whose responses complete off the sample
     * pool; {@code blocking}: the host's probes take each sample as a blocking round trip on a sample thread (the
     * Jenkins agent probe's shape), so that the machine's handling of every measurement runs on the sample pool too.
     */
    @ParameterizedTest(name = "{0}-thread sample pool, {1} probes")
    @CsvSource({"4, local", "1, local", "4, blocking", "1, blocking"})
    void shouldBringEightDeploysWithRelativeThresholdsToTheirVerdictsAtOnce(final int threads, final String probes)
            throws Exception {
        int deploys = 8;
        int count = 10;
        int baselineSamples = 3;
        try (FaultyHttpServer server = new FaultyHttpServer(); MachineRig rig = new MachineRig(root, threads)) {
            List<CompletableFuture<GuardOutcome>> outcomes = new ArrayList<>();
            List<long[]> took = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 1; i <= deploys; i++) {
                Policy policy = MachineRig.relativeProbePolicy("pool-" + i, server.url() + "/json", INTERVAL, count,
                        baselineSamples);
                assertThat(policy.probes().get(0).thresholds().needsBaseline()).isTrue();
                GuardSession session = rig.session(policy);
                long[] elapsed = new long[1];
                took.add(elapsed);
                GuardMachine.Host host = "local".equals(probes) ? rig.localHost(session)
                        : new ReachingHost(rig.localHost(session), url -> url, ReachingHost.Shape.BLOCKING, rig.scheduler());
                outcomes.add(rig.deploy(session, host, "run-" + i, point -> pause(50))
                        .whenComplete((outcome, failure) -> elapsed[0] = System.nanoTime() - start));
            }

            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);

            List<Long> lags = new ArrayList<>();
            for (int i = 0; i < deploys; i++) {
                GuardOutcome outcome = outcomes.get(i).join();
                assertThat(outcome.result()).as(outcome.explanation()).isEqualTo(GuardOutcome.Result.GOOD);
                RollbackPoint point = rig.ledger().point(EnvironmentName.of("pool-" + (i + 1)), outcome.point().id());
                assertThat(point.status()).isEqualTo(PointStatus.GOOD);
                assertThat(point.attributes()).containsEntry(GuardSession.BASELINE + "rate", "0.97");
                assertThat(point.attributes().get(GuardSession.MEASUREMENT + "rate")).startsWith("PASSED")
                        .endsWith("(" + count + " samples)");
                assertThat(GuardState.of(point).phase()).isEqualTo(GuardState.Phase.DONE);
                List<Measurement> samples = samplesOf(rig.ledger(), point.environment(), outcome);
                assertThat(samples).hasSize(count);
                lags.add(maxLag(samples));
            }
            assertThat(rig.samples().failures()).isEmpty();
            assertThat(rig.samples().tasks()).as("every watch sample is a task of the sample pool")
                    .isGreaterThanOrEqualTo((long) deploys * count);
            assertThat(rig.errors()).isEmpty();
            System.out.printf("%d deploys (baseline %d + watch %d samples every %s), %s probes, on a %d-thread "
                            + "sample pool: verdicts after %s ms, max lag of each watch %s ms; %s%n", deploys,
                    baselineSamples, count, INTERVAL, probes, threads,
                    took.stream().map(t -> Long.toString(TimeUnit.NANOSECONDS.toMillis(t[0]))).toList(), lags,
                    rig.samples().figures());
        }
    }

    @ParameterizedTest(name = "{0}-thread sample pool")
    @ValueSource(ints = {1, 4})
    void shouldNotLoseASampleOfAWatchWhileAnotherDeployBacksUpForTenIntervals(final int threads) throws Exception {
        int count = 40;
        int backupIntervals = 10;
        try (FaultyHttpServer server = new FaultyHttpServer(); MachineRig rig = new MachineRig(root, threads)) {
            // alone: the figures a watch has when nothing else runs
            Watched alone = watch(rig, server, "alone", count);
            GuardOutcome aloneOutcome = alone.outcome.get(60, TimeUnit.SECONDS);

            // beside a deploy of another environment whose backup takes ten intervals on the work pool
            Watched beside = watch(rig, server, "beside", count);
            awaitFirstSample(rig.ledger(), EnvironmentName.of("beside"));
            Policy backingUp = new PolicyReader().parse("backup.yaml", """
                    environment: backing-up
                    backups:
                      - type: command
                        command: [sh, -c, 'sleep %s; printf dump > "$ROLLBACK_GUARD_BACKUP_FILE"']
                    """.formatted(backupIntervals * INTERVAL_MILLIS / 1000.0));
            GuardSession backupSession = rig.session(backingUp);
            GuardOutcome backupOutcome = rig.deploy(backupSession, rig.localHost(backupSession), "backup-run", point -> { })
                    .get(60, TimeUnit.SECONDS);
            GuardOutcome besideOutcome = beside.outcome.get(60, TimeUnit.SECONDS);

            assertThat(aloneOutcome.result()).isEqualTo(GuardOutcome.Result.GOOD);
            assertThat(besideOutcome.result()).isEqualTo(GuardOutcome.Result.GOOD);
            assertThat(backupOutcome.result()).as(backupOutcome.explanation()).isEqualTo(GuardOutcome.Result.GOOD);
            RollbackPoint backedUp = rig.ledger().point(EnvironmentName.of("backing-up"), backupOutcome.point().id());
            assertThat(backedUp.backups()).hasSize(1);
            BackupManifest backup = rig.backups().find(backedUp.backups().get(0).id()).orElseThrow();
            Instant backupEnd = backup.startedAt().plus(backup.duration());
            assertThat(backup.duration()).as("the backup lasts ten intervals")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(backupIntervals * INTERVAL_MILLIS));

            List<Measurement> aloneSamples = samplesOf(rig.ledger(), EnvironmentName.of("alone"), aloneOutcome);
            List<Measurement> besideSamples = samplesOf(rig.ledger(), EnvironmentName.of("beside"), besideOutcome);
            assertThat(aloneSamples).hasSize(count);
            assertThat(besideSamples).hasSize(aloneSamples.size());
            assertThat(measurementLine(rig.ledger(), EnvironmentName.of("beside"), besideOutcome))
                    .endsWith("(" + count + " samples)");
            assertThat(besideSamples.get(0).at()).as("the backup ran while the watch sampled").isBefore(backup.startedAt());
            assertThat(besideSamples.get(count - 1).at()).isAfter(backupEnd);
            assertThat(rig.samples().failures()).isEmpty();
            assertThat(rig.errors()).isEmpty();

            long during = besideSamples.stream().filter(m -> !m.at().isBefore(backup.startedAt())
                    && m.at().isBefore(backupEnd)).count();
            System.out.printf("%d-thread sample pool, %d samples every %s planned: alone %s; beside a %d ms backup "
                            + "(%d samples during it) %s; %s%n", threads, count, INTERVAL, figures(aloneSamples),
                    backup.duration().toMillis(), during, figures(besideSamples), rig.samples().figures());
        }
    }

    private record Watched(CompletableFuture<GuardOutcome> outcome) {
    }

    private static Watched watch(final MachineRig rig, final FaultyHttpServer server, final String environment,
                                 final int count) {
        GuardSession session = rig.session(MachineRig.relativeProbePolicy(environment, server.url() + "/json", INTERVAL,
                count, 3));
        return new Watched(rig.deploy(session, rig.localHost(session), environment + "-run", point -> { }));
    }

    /** Waits until the watch of the environment's newest point has a sample in the ledger (the first is written). */
    private static void awaitFirstSample(final Ledger ledger, final EnvironmentName environment) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() ->
                ledger.environments().contains(environment) && ledger.size(environment) > 0
                        && ledger.history(environment, 0, 1).get(0).status() == PointStatus.WATCHING
                        && ledger.history(environment, 0, 1).get(0).attributes().containsKey(GuardState.WATCH));
    }

    /** A watch's samples as the ledger keeps them: the analyses written with the verdict. */
    private static List<Measurement> samplesOf(final Ledger ledger, final EnvironmentName environment,
                                               final GuardOutcome outcome) {
        RollbackPoint point = ledger.point(environment, outcome.point().id());
        return WatchState.readSnapshots(point.attributes().get(GuardState.WATCH)).get("rate").measurements();
    }

    private static String measurementLine(final Ledger ledger, final EnvironmentName environment,
                                          final GuardOutcome outcome) {
        return ledger.point(environment, outcome.point().id()).attributes().get(GuardSession.MEASUREMENT + "rate");
    }

    /** Gaps between samples and lag behind the fixed-rate schedule of the first one. */
    private static String figures(final List<Measurement> samples) {
        long maxGap = 0;
        for (int i = 1; i < samples.size(); i++) {
            maxGap = Math.max(maxGap, Duration.between(samples.get(i - 1).at(), samples.get(i).at()).toMillis());
        }
        long span = Duration.between(samples.get(0).at(), samples.get(samples.size() - 1).at()).toMillis();
        return "%d samples over %d ms, mean gap %.1f ms, max gap %d ms, max lag %d ms".formatted(samples.size(), span,
                span / (double) (samples.size() - 1), maxGap, maxLag(samples));
    }

    /** How far the latest sample started behind the fixed-rate schedule that the first one opened. */
    private static long maxLag(final List<Measurement> samples) {
        long maxLag = 0;
        Instant first = samples.get(0).at();
        for (int i = 1; i < samples.size(); i++) {
            maxLag = Math.max(maxLag, Duration.between(first.plusMillis(i * INTERVAL_MILLIS), samples.get(i).at()).toMillis());
        }
        return maxLag;
    }

    private static void pause(final long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
