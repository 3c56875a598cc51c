package io.jenkins.plugins.rollbackguard.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property-style round trips: random points with hostile strings (quotes, newlines, unicode, JSON
 * fragments) are recorded, moved through random legal transitions, compacted, and read back equal.
 */
class LedgerRoundTripPropertyTest {
    private static final int POINTS = 2_000;

    @TempDir
    private Path root;

    @Test
    void shouldReadBackEveryPointExactly() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Ledger ledger = Ledger.open(root, Ledger.Options.defaults().withFsync(false).withCompactAfter(700)
                .withClock(() -> Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000))));
        EnvironmentName env = EnvironmentName.of("rt");
        List<RollbackPoint> written = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            RollbackPoint point = ledger.record(randomDraft(env, random), text(random), text(random));
            written.add(walk(ledger, point, random));
        }

        Ledger reopened = Ledger.open(root);

        assertThat(reopened.size(env)).as("seed %d", seed).isEqualTo(POINTS);
        for (RollbackPoint expected : written) {
            assertThat(reopened.point(env, expected.id())).as("seed %d point %d", seed, expected.id()).isEqualTo(expected);
        }
        RollbackPoint newestGood = written.stream().filter(p -> p.status().isRestorable())
                .reduce((a, b) -> b).orElse(null);
        assertThat(reopened.lastGood(env).orElse(null)).as("seed %d", seed).isEqualTo(newestGood);
    }

    private static RollbackPoint walk(final Ledger ledger, final RollbackPoint start, final Random random) {
        RollbackPoint point = start;
        int steps = random.nextInt(4);
        for (int s = 0; s < steps && !point.status().successors().isEmpty(); s++) {
            List<PointStatus> next = new ArrayList<>(point.status().successors());
            PointStatus to = next.get(random.nextInt(next.size()));
            point = ledger.transition(point.environment(), point.id(), to, text(random), text(random),
                    random.nextBoolean() ? text(random) : null);
        }
        return point;
    }

    private static RollbackPoint.Builder randomDraft(final EnvironmentName env, final Random random) {
        PointSource source = random.nextBoolean() ? PointSource.jenkins("folder/" + text(random) + "x", 1 + random.nextInt(9999))
                : PointSource.cli(text(random));
        RollbackPoint.Builder draft = RollbackPoint.builder(env, source).gitCommit(text(random)).dataVersion(text(random));
        for (int i = random.nextInt(3); i > 0; i--) {
            draft.artifact(new ArtifactRef(text(random) + "a", hex(random), random.nextInt(1 << 20), text(random)));
            draft.parameter(text(random) + i, text(random));
            draft.backup(new BackupRef("b" + text(random), "files", hex(random), random.nextInt(1000),
                    Instant.ofEpochSecond(random.nextInt(2_000_000_000)), null));
        }
        if (random.nextInt(10) == 0) {
            draft.adopted();
        }
        return draft;
    }

    private static String hex(final Random random) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    private static final String[] PIECES = {"\"", "\\", "\n", "\r\n", "}", "{\"v\":9}", "é", "日本", "\u0000", "\t", " ", "😀", "a", "9"};

    private static String text(final Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
