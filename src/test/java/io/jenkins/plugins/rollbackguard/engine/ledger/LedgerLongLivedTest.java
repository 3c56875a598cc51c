package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.*;

/**
 * A ledger as a Jenkins controller holds it for months: opened once from a snapshot, then written to and compacted
 * many times by the same instance. Points that came from the snapshot unparsed must stay readable after the snapshot
 * they pointed into is replaced, and the journal must stay bounded.
 */
class LedgerLongLivedTest {
    private static final EnvironmentName PROD = EnvironmentName.of("production");
    private static final int COMPACT_AFTER = 50;

    @TempDir
    private Path root;

    private final List<String> warnings = new ArrayList<>();

    private Ledger open() {
        return Ledger.open(root, Ledger.Options.defaults().withFsync(false).withCompactAfter(COMPACT_AFTER)
                .withWarnings(warnings::add));
    }

    private static RollbackPoint.Builder draft(final int build) {
        return RollbackPoint.builder(PROD, PointSource.jenkins("shop/deploy", build)).gitCommit("c0ffee" + build);
    }

    @Test
    void shouldReadEveryOldPointAfterCompactingSeveralTimesInTheSameProcess() throws IOException {
        Ledger first = open();
        for (int build = 1; build <= 300; build++) {
            RollbackPoint point = first.record(draft(build), "alice", "deploy " + build);
            first.transition(PROD, point.id(), PointStatus.ABORTED, "guard", "aborted " + build);
        }
        assertThat(snapshots()).as("the first process compacted").isNotEmpty();

        Ledger controller = open(); // a fresh open: the 300 points are unparsed lines of the snapshot
        assertThat(controller.point(PROD, 300).gitCommit()).isEqualTo("c0ffee300");
        long maxJournalLines = 0;
        for (int append = 1; append <= 10_000; append++) {
            if (append % 10 == 0) {
                controller.record(draft(300 + append / 10), "bob", "deploy");
            }
            else {
                controller.note(PROD, 0, "guard", "note " + append);
            }
            maxJournalLines = Math.max(maxJournalLines, journalLines());
        }

        assertThat(controller.size(PROD)).isEqualTo(1300);
        for (int page = 0; page * 1000 < 1300; page++) {
            for (RollbackPoint point : controller.history(PROD, page, 1000)) {
                assertThat(point.gitCommit()).isEqualTo("c0ffee" + point.id());
            }
        }
        assertThat(controller.point(PROD, 7).status()).isEqualTo(PointStatus.ABORTED);
        assertThat(warnings).isEmpty();
        // compaction runs past max(compactAfter, points / 50) lines, so the journal never holds more than that
        assertThat(maxJournalLines).isBetween(1L, (long) Math.max(COMPACT_AFTER, 1300 / 50) + 1);
        assertThat(snapshots()).as("old generations are removed").hasSize(1);
        assertThat(open().point(PROD, 1).gitCommit()).as("a later process reads the same").isEqualTo("c0ffee1");
    }

    private List<Path> snapshots() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(PROD.value()))) {
            return files.filter(file -> file.getFileName().toString().matches("snapshot-\\d+\\.json")).toList();
        }
    }

    private long journalLines() throws IOException {
        long lines = 0;
        try (Stream<Path> files = Files.list(root.resolve(PROD.value()))) {
            for (Path journal : files.filter(file -> file.getFileName().toString().startsWith("journal-")).toList()) {
                try (Stream<String> content = Files.lines(journal)) {
                    lines += content.count();
                }
            }
        }
        return lines;
    }
}
