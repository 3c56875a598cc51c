package io.jenkins.plugins.rollbackguard.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.health.VerdictExplanation;
import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;

/**
 * Tests that a point's verdict explanation survives the journal, a snapshot and a reopen, and that journals and
 * snapshots written before it existed still read (without one).
 */
class LedgerExplanationTest {
    private static final EnvironmentName PROD = EnvironmentName.of("production");
    private static final VerdictExplanation WHY = new VerdictExplanation("payment-success", VerdictStatus.FAILED,
            "2 failures exceed failureLimit 1", "PromQL payments", "", "failIf drop > 20%", 0.97, 5, 0.70, -0.2784,
            "0.70 is 27.8% below the baseline 0.97 (median of 5 samples), -0.27", "3 of 10 planned samples, every 30s",
            3, 3, 2, null, Instant.parse("2026-12-02T10:01:00Z"), null);

    @TempDir
    private Path root;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T10:00:00Z"));

    private Ledger open(final int compactAfter) {
        return Ledger.open(root, Ledger.Options.defaults().withCompactAfter(compactAfter).withClock(now::get));
    }

    private static RollbackPoint.Builder draft(final int build) {
        return RollbackPoint.builder(PROD, PointSource.cli("deploy-" + build));
    }

    private static RollbackPoint trip(final Ledger ledger, final int build) {
        RollbackPoint point = ledger.record(draft(build), "alice", "deploy");
        ledger.transition(PROD, point.id(), PointStatus.DEPLOYING, "guard", "deploying");
        ledger.transition(PROD, point.id(), PointStatus.WATCHING, "guard", "watching");
        return ledger.transition(PROD, point.id(), PointStatus.BAD, "guard", WHY.text(), WHY.text(),
                builder -> builder.explanation(WHY));
    }

    @Test
    void shouldKeepTheExplanationThroughTheJournal() {
        Ledger ledger = open(1000);
        RollbackPoint bad = trip(ledger, 1);

        assertThat(bad.explanation()).isEqualTo(WHY);
        Ledger reopened = open(1000);
        assertThat(reopened.explanation(PROD, bad.id())).contains(WHY);
        assertThat(reopened.point(PROD, bad.id()).verdict()).isEqualTo(WHY.text());
        RollbackPoint later = reopened.transition(PROD, bad.id(), PointStatus.REVERTED, "guard", "reverted by #2");
        assertThat(open(1000).explanation(PROD, later.id())).as("a later change keeps it").contains(WHY);
        assertThat(WHY.text()).isEqualTo("payment-success FAILED: 0.70 is 27.8% below the baseline 0.97 (median of 5 "
                + "samples), -0.27; failIf drop > 20%; 2 failures exceed failureLimit 1; 3 of 10 planned samples, every 30s");
    }

    @Test
    void shouldKeepAStatisticalJudgesSampleSizeAlphaAndBetaThroughTheJournalAndASnapshot() {
        VerdictExplanation judged = WHY.withJudge("sequential", 162, 0.005, 0.1);
        Ledger ledger = open(2);
        RollbackPoint point = ledger.record(draft(7), "alice", "deploy");
        ledger.transition(PROD, point.id(), PointStatus.DEPLOYING, "guard", "deploying");
        ledger.transition(PROD, point.id(), PointStatus.WATCHING, "guard", "watching");
        ledger.transition(PROD, point.id(), PointStatus.BAD, "guard", judged.text(), judged.text(),
                builder -> builder.explanation(judged));

        VerdictExplanation read = open(2).explanation(PROD, point.id()).orElseThrow();
        assertThat(read).isEqualTo(judged);
        assertThat(read.judge()).isEqualTo("sequential");
        assertThat(read.sampleSize()).isEqualTo(162);
        assertThat(read.alpha()).isEqualTo(0.005);
        assertThat(read.beta()).isEqualTo(0.1);
        assertThat(read.text()).endsWith("; sequential judge, sample 162, alpha 0.005, beta 0.10");
        assertThat(WHY.judge()).as("a threshold verdict names no judge").isNull();
    }

    @Test
    void shouldKeepTheExplanationThroughASnapshot() throws IOException {
        Ledger ledger = open(3);
        RollbackPoint bad = trip(ledger, 1);
        for (int build = 2; build <= 4; build++) {
            ledger.record(draft(build), "alice", "deploy");
        }
        try (var files = Files.list(root.resolve(PROD.value()))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("compacted into a snapshot")
                    .anyMatch(name -> name.startsWith("snapshot"));
        }

        Ledger reopened = open(3);

        assertThat(reopened.explanation(PROD, bad.id())).contains(WHY);
        assertThat(reopened.point(PROD, bad.id())).isEqualTo(ledger.point(PROD, bad.id()));
    }

    @Test
    void shouldReadAJournalWrittenBeforeTheExplanationExisted() throws IOException {
        Path dir = Files.createDirectories(root.resolve("legacy"));
        Files.createFile(dir.resolve("ledger.lock"));
        String point = """
                {"id":1,"environment":"legacy","source":{"kind":"CLI","runId":"r1","build":0},"status":"%s",\
                "verdict":"health: FAILED after 2 samples","revertOf":0,"createdAt":1764669600000,\
                "updatedAt":1764669600000}""";
        Files.writeString(dir.resolve("journal-0.jsonl"),
                "{\"v\":3,\"seq\":1,\"at\":1764669600000,\"type\":\"POINT_RECORDED\",\"pointId\":1,"
                        + "\"point\":" + point.formatted("WATCHING") + "}\n"
                        + "{\"v\":3,\"seq\":2,\"at\":1764669660000,\"type\":\"STATUS_CHANGED\",\"pointId\":1,"
                        + "\"from\":\"WATCHING\",\"to\":\"BAD\",\"point\":" + point.formatted("BAD") + "}\n");
        EnvironmentName legacy = EnvironmentName.of("legacy");

        Ledger ledger = open(1000);

        assertThat(ledger.point(legacy, 1).status()).isEqualTo(PointStatus.BAD);
        assertThat(ledger.point(legacy, 1).verdict()).isEqualTo("health: FAILED after 2 samples");
        assertThat(ledger.explanation(legacy, 1)).isEmpty();
        RollbackPoint next = ledger.record(RollbackPoint.builder(legacy, PointSource.cli("r2")), "bob", "deploy");
        assertThat(next.id()).isEqualTo(2);
    }

    @Test
    void shouldReadASnapshotWrittenBeforeTheExplanationExisted() throws IOException {
        Ledger ledger = open(3);
        RollbackPoint bad = trip(ledger, 1);
        for (int build = 2; build <= 4; build++) {
            ledger.record(draft(build), "alice", "deploy");
        }
        Path dir = root.resolve(PROD.value());
        List<Path> snapshots;
        try (var files = Files.list(dir)) {
            snapshots = files.filter(f -> f.getFileName().toString().startsWith("snapshot")).toList();
        }
        assertThat(snapshots).isNotEmpty();
        int stripped = 0;
        for (Path snapshot : snapshots) {
            if (!snapshot.toString().endsWith(".idx")) {
                String text = Files.readString(snapshot);
                String old = text.replaceAll(",\"explanation\":\\{[^}]*\\}", "");
                stripped += text.equals(old) ? 0 : 1;
                Files.writeString(snapshot, old);
            }
            else {
                Files.delete(snapshot); // its offsets are those of the file before: the reader scans without it
            }
        }
        assertThat(stripped).as("the snapshot held the explanation, and no longer does").isPositive();

        Ledger reopened = open(3);

        assertThat(reopened.point(PROD, bad.id()).status()).isEqualTo(PointStatus.BAD);
        assertThat(reopened.point(PROD, bad.id()).verdict()).isEqualTo(WHY.text());
        assertThat(reopened.explanation(PROD, bad.id())).isEmpty();
        assertThat(reopened.size(PROD)).isEqualTo(4);
    }
}
