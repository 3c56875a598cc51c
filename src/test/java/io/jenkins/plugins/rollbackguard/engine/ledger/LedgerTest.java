package io.jenkins.plugins.rollbackguard.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests the class {@link Ledger}. */
class LedgerTest {
    private static final EnvironmentName PROD = EnvironmentName.of("production");
    private static final String SHA = "a".repeat(64);

    @TempDir
    private Path root;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T10:00:00Z"));
    private final List<String> warnings = new ArrayList<>();

    private Ledger open() {
        return Ledger.open(root, Ledger.Options.defaults().withClock(now::get).withWarnings(warnings::add));
    }

    private static RollbackPoint.Builder draft(final int build) {
        return RollbackPoint.builder(PROD, PointSource.jenkins("shop/deploy", build))
                .artifact(new ArtifactRef("shop.jar", SHA, 42, null))
                .gitCommit("c0ffee" + build)
                .parameter("VERSION", "1." + build);
    }

    private static RollbackPoint deployGood(final Ledger ledger, final int build) {
        RollbackPoint point = ledger.record(draft(build), "alice", "deploy");
        ledger.transition(PROD, point.id(), PointStatus.DEPLOYING, "guard", "deploying");
        ledger.transition(PROD, point.id(), PointStatus.WATCHING, "guard", "watching");
        return ledger.transition(PROD, point.id(), PointStatus.GOOD, "guard", "healthy", "all probes passed");
    }

    @Test
    void shouldReadThroughALedgerOpenedForReadingAndWriteNothing() throws Exception {
        Path missing = root.resolve("not-yet");
        assertThat(Ledger.openForReading(missing).environments()).isEmpty();
        assertThat(missing).as("a reader creates no directory").doesNotExist();
        Ledger writer = open();
        deployGood(writer, 1);
        String dead = Integer.MAX_VALUE + ":1@" + Owners.current().substring(Owners.current().lastIndexOf('@') + 1);
        RollbackPoint orphan = Ledger.open(root, Ledger.Options.defaults().withOwner(dead))
                .record(draft(2), "alice", "a deploy whose owner died");
        Path journal;
        try (var files = java.nio.file.Files.list(root.resolve(PROD.value()))) {
            journal = files.filter(f -> f.getFileName().toString().startsWith("journal-")).findFirst().orElseThrow();
        }
        java.nio.file.Files.writeString(journal, "{\"torn", java.nio.file.StandardOpenOption.APPEND);
        long size = java.nio.file.Files.size(journal);

        Ledger reader = Ledger.openForReading(root);

        assertThat(reader.lastGood(PROD)).map(RollbackPoint::id).contains(1L);
        assertThat(reader.point(PROD, orphan.id()).status()).as("left to the next writer").isEqualTo(PointStatus.RECORDED);
        assertThat(java.nio.file.Files.size(journal)).as("the torn tail is not dropped by a reader").isEqualTo(size);
        assertThatThrownBy(() -> reader.record(draft(3), "alice", "dry run")).isInstanceOf(LedgerException.class)
                .hasMessageContaining("opened for reading only");
        assertThatThrownBy(() -> reader.record(RollbackPoint.builder(EnvironmentName.of("new-env"),
                PointSource.cli("r")), "alice", "dry run")).hasMessageContaining("opened for reading only");
        assertThat(root.resolve("new-env")).doesNotExist();
        Ledger next = open();
        assertThat(next.point(PROD, orphan.id()).status()).as("the next writer does both").isEqualTo(PointStatus.INTERRUPTED);
    }

    @Test
    void shouldAssignDenseIdsAndRecordTimestamps() {
        Ledger ledger = open();

        RollbackPoint first = ledger.record(draft(1), "alice", "first");
        RollbackPoint second = ledger.record(draft(2), "alice", "second");

        assertThat(first.id()).isEqualTo(1);
        assertThat(second.id()).isEqualTo(2);
        assertThat(second.status()).isEqualTo(PointStatus.RECORDED);
        assertThat(second.createdAt()).isEqualTo(now.get());
        assertThat(second.owner()).isNotBlank();
    }

    @Test
    void shouldReturnNewestGoodAndSkipReverted() {
        Ledger ledger = open();
        RollbackPoint one = deployGood(ledger, 1);
        RollbackPoint two = deployGood(ledger, 2);
        assertThat(ledger.lastGood(PROD)).contains(two);

        ledger.transition(PROD, two.id(), PointStatus.REVERTED, "bob", "rolled back by hand");

        assertThat(ledger.lastGood(PROD)).get().extracting(RollbackPoint::id).isEqualTo(one.id());
    }

    @Test
    void shouldCountAdoptedAsRestorable() {
        Ledger ledger = open();
        RollbackPoint adopted = ledger.record(draft(7).adopted(), "alice", "what runs now");

        assertThat(adopted.status()).isEqualTo(PointStatus.ADOPTED);
        assertThat(ledger.lastGood(PROD)).contains(adopted);
    }

    @Test
    void shouldRefuseTransitionsOutsideTheLifecycle() {
        Ledger ledger = open();
        RollbackPoint point = ledger.record(draft(1), "alice", "deploy");

        assertThatThrownBy(() -> ledger.transition(PROD, point.id(), PointStatus.GOOD, "guard", "skip the watch"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("RECORDED").hasMessageContaining("GOOD").hasMessageContaining("production#1");
        assertThat(ledger.point(PROD, point.id()).status()).isEqualTo(PointStatus.RECORDED);
    }

    @Test
    void shouldNameUnknownEnvironmentsAndPoints() {
        Ledger ledger = open();
        deployGood(ledger, 1);

        assertThatThrownBy(() -> ledger.lastGood(EnvironmentName.of("staging")))
                .isInstanceOf(UnknownEnvironmentException.class)
                .hasMessageContaining("'staging'").hasMessageContaining("production");
        assertThatThrownBy(() -> ledger.point(PROD, 99))
                .isInstanceOf(UnknownPointException.class)
                .hasMessageContaining("99").hasMessageContaining("1 to 1");
    }

    @Test
    void shouldOpenAndResetTheCircuitWithReasons() {
        Ledger ledger = open();
        RollbackPoint point = deployGood(ledger, 1);

        Circuit open = ledger.openCircuit(PROD, "error rate 9% > 5%", "guard", point.id());
        Circuit again = ledger.openCircuit(PROD, "second trip", "guard", point.id());

        assertThat(open.isOpen()).isTrue();
        assertThat(again.reason()).isEqualTo("error rate 9% > 5%");
        assertThatThrownBy(() -> ledger.resetCircuit(PROD, " ", "bob"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        Circuit closed = ledger.resetCircuit(PROD, "fixed the config", "bob");
        assertThat(closed.isOpen()).isFalse();
        assertThat(open().circuit(PROD)).isEqualTo(closed);
        assertThat(ledger.events(PROD, 2)).extracting(LedgerEvent::type)
                .containsExactly(LedgerEvent.Type.CIRCUIT_OPENED, LedgerEvent.Type.CIRCUIT_RESET);
        assertThat(ledger.events(PROD, 1).get(0).actor()).isEqualTo("bob");
    }

    @Test
    void shouldPersistAcrossReopenAndCompaction() {
        Ledger ledger = Ledger.open(root, Ledger.Options.defaults().withCompactAfter(5).withClock(now::get));
        for (int build = 1; build <= 12; build++) {
            deployGood(ledger, build);
        }
        ledger.note(PROD, 3, "guard", "hook output: paused stock sync");

        Ledger reopened = open();

        assertThat(reopened.size(PROD)).isEqualTo(12);
        assertThat(reopened.lastGood(PROD)).get().extracting(RollbackPoint::id).isEqualTo(12L);
        assertThat(reopened.point(PROD, 5)).isEqualTo(ledger.point(PROD, 5));
        assertThat(reopened.auditTrail(PROD)).hasSize(12 * 4 + 1)
                .extracting(LedgerEvent::seq).isSorted().doesNotHaveDuplicates();
        assertThat(reopened.history(PROD, 0, 5)).extracting(RollbackPoint::id).containsExactly(12L, 11L, 10L, 9L, 8L);
        assertThat(reopened.history(PROD, 2, 5)).extracting(RollbackPoint::id).containsExactly(2L, 1L);
    }

    @Test
    void shouldScanTheSnapshotWhenItsIndexIsMissingOrStale() throws IOException {
        Ledger ledger = Ledger.open(root, Ledger.Options.defaults().withCompactAfter(5).withClock(now::get));
        for (int build = 1; build <= 12; build++) {
            deployGood(ledger, build);
        }
        List<Path> indexes;
        try (var files = Files.list(root.resolve("production"))) {
            indexes = files.filter(f -> f.toString().endsWith(".idx")).toList();
        }
        assertThat(indexes).isNotEmpty();
        Files.write(indexes.get(0), new byte[16]); // stale: does not end at the snapshot's length

        assertThat(open().point(PROD, 7)).isEqualTo(ledger.point(PROD, 7));
        Files.delete(indexes.get(0));
        assertThat(open().point(PROD, 3)).isEqualTo(ledger.point(PROD, 3));
        assertThat(open().lastGood(PROD)).get().extracting(RollbackPoint::id).isEqualTo(12L);
    }

    @Test
    void shouldComputeDoraFigures() {
        Ledger ledger = open();
        deployGood(ledger, 1);
        RollbackPoint bad = ledger.record(draft(2), "alice", "deploy");
        ledger.transition(PROD, bad.id(), PointStatus.DEPLOYING, "guard", "");
        ledger.transition(PROD, bad.id(), PointStatus.WATCHING, "guard", "");
        ledger.transition(PROD, bad.id(), PointStatus.BAD, "guard", "5xx rate 12% > 5%");
        now.set(now.get().plus(Duration.ofMinutes(4)));
        RollbackPoint revert = ledger.record(draft(1).revertOf(bad.id()), "guard", "revert");
        ledger.transition(PROD, revert.id(), PointStatus.WATCHING, "guard", "");
        ledger.transition(PROD, revert.id(), PointStatus.GOOD, "guard", "restored");
        ledger.transition(PROD, bad.id(), PointStatus.REVERTED, "guard", "reverted");

        DoraFigures dora = open().dora(PROD);

        assertThat(dora.deploys()).isEqualTo(2);
        assertThat(dora.failures()).isEqualTo(1);
        assertThat(dora.changeFailureRate()).isEqualTo(0.5);
        assertThat(dora.medianTimeToRestore()).contains(Duration.ofMinutes(4));
        assertThat(dora.meanTimeToRestore()).contains(Duration.ofMinutes(4));
    }

    @Test
    void shouldKeepUpdatesButNotLetThemChangeTheStatus() {
        Ledger ledger = open();
        RollbackPoint point = ledger.record(draft(1), "alice", "deploy");

        RollbackPoint updated = ledger.update(PROD, point.id(), "guard", "backups taken", b -> b
                .backup(new BackupRef("b-1", "postgres", SHA, 1000, now.get(), now.get()))
                .dataVersion("V42"));

        assertThat(updated.status()).isEqualTo(PointStatus.RECORDED);
        assertThat(open().point(PROD, 1).backups()).extracting(BackupRef::id).containsExactly("b-1");
        assertThat(open().point(PROD, 1).dataVersion()).isEqualTo("V42");
    }

    @Test
    void shouldMarkPointsOfDeadWatchersInterrupted() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        String deadOwner = finished.pid() + ":" + finished.info().startInstant().map(Instant::toEpochMilli).orElse(1L)
                + "@" + Owners.current().substring(Owners.current().indexOf('@') + 1);
        Ledger dying = Ledger.open(root, Ledger.Options.defaults().withOwner(deadOwner));
        RollbackPoint point = dying.record(draft(1), "alice", "deploy");
        dying.transition(PROD, point.id(), PointStatus.DEPLOYING, "guard", "");
        dying.transition(PROD, point.id(), PointStatus.WATCHING, "guard", "");

        RollbackPoint found = open().point(PROD, point.id());

        assertThat(found.status()).isEqualTo(PointStatus.INTERRUPTED);
        assertThat(open().events(PROD, 1).get(0).reason()).contains("is gone");
    }

    @Test
    void shouldNotInterruptPointsOfLiveWatchers() {
        Ledger ledger = open();
        RollbackPoint point = ledger.record(draft(1), "alice", "deploy");
        ledger.transition(PROD, point.id(), PointStatus.WATCHING, "guard", "");

        assertThat(open().point(PROD, point.id()).status()).isEqualTo(PointStatus.WATCHING);
    }

    @Test
    void shouldDropATornLastLineWithAWarning() throws IOException {
        Ledger ledger = open();
        deployGood(ledger, 1);
        Path journal = root.resolve("production/journal-0.jsonl");
        Files.writeString(journal, "{\"v\":2,\"seq\":5,\"type\":\"POINT_REC", java.nio.file.StandardOpenOption.APPEND);

        Ledger reopened = open();

        assertThat(reopened.size(PROD)).isEqualTo(1);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("journal-0.jsonl").contains("dropped"));
        RollbackPoint next = reopened.record(draft(2), "alice", "after the torn line");
        assertThat(next.id()).isEqualTo(2);
        assertThat(open().size(PROD)).isEqualTo(2);
    }

    @Test
    void shouldRefuseCorruptionInTheMiddleAndSalvage() throws IOException {
        Ledger ledger = open();
        deployGood(ledger, 1);
        deployGood(ledger, 2);
        Path journal = root.resolve("production/journal-0.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.set(2, "garbage written by hand");
        Files.write(journal, lines);

        assertThatThrownBy(() -> open().size(PROD))
                .isInstanceOf(LedgerCorruptException.class)
                .hasMessageContaining("journal-0.jsonl").hasMessageContaining("line 3");

        SalvageReport report = open().salvage(PROD);

        assertThat(report.dropped()).containsExactly("journal-0.jsonl:3");
        assertThat(report.movedAside()).hasSize(1);
        Ledger salvaged = open();
        assertThat(salvaged.size(PROD)).isEqualTo(2);
        assertThat(salvaged.lastGood(PROD)).get().extracting(RollbackPoint::id).isEqualTo(2L);
    }

    @Test
    void shouldMigrateFormatOneAndRefuseNewerFormats() throws IOException {
        Path dir = Files.createDirectories(root.resolve("legacy"));
        Files.createFile(dir.resolve("ledger.lock"));
        String point = """
                {"id":1,"environment":"legacy","source":{"kind":"CLI","runId":"r1","build":0},"status":"%s",\
                "revertOf":0,"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z"}""";
        Files.writeString(dir.resolve("journal-0.jsonl"),
                "{\"v\":1,\"seq\":1,\"at\":\"2025-01-01T00:00:00Z\",\"type\":\"POINT_RECORDED\",\"pointId\":1,"
                        + "\"point\":" + point.formatted("GOOD") + "}\n"
                        + "{\"v\":1,\"seq\":2,\"at\":\"2025-01-02T00:00:00Z\",\"type\":\"STATUS_CHANGED\",\"pointId\":1,"
                        + "\"from\":\"GOOD\",\"to\":\"ROLLED_BACK\",\"point\":" + point.formatted("ROLLED_BACK") + "}\n");
        EnvironmentName legacy = EnvironmentName.of("legacy");

        assertThat(open().point(legacy, 1).status()).isEqualTo(PointStatus.REVERTED);
        assertThat(open().events(legacy, 1).get(0).to()).isEqualTo(PointStatus.REVERTED);

        Files.writeString(dir.resolve("journal-0.jsonl"),
                "{\"v\":4,\"seq\":3,\"at\":\"2027-01-01T00:00:00Z\",\"type\":\"NOTE\"}\n{\"v\":4,\"seq\":4}\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> open().size(legacy))
                .isInstanceOf(LedgerCorruptException.class)
                .hasMessageContaining("format 4").hasMessageContaining("upgrade");
    }

    @Test
    void shouldListEnvironments() {
        Ledger ledger = open();
        ledger.record(RollbackPoint.builder(EnvironmentName.of("staging"), PointSource.cli("r1")), "a", "");
        ledger.record(draft(1), "a", "");

        assertThat(ledger.environments()).extracting(EnvironmentName::value).containsExactly("production", "staging");
    }
}
