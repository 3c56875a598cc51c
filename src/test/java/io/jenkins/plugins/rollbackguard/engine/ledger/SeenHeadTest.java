package io.jenkins.plugins.rollbackguard.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jenkins.plugins.rollbackguard.engine.data.DataHead;
import io.jenkins.plugins.rollbackguard.engine.data.Migration;

/** Tests the data heads a point keeps ({@link SeenHead}, {@link RollbackPoint#dataHeads()}) in the ledger. */
class SeenHeadTest {
    private static final EnvironmentName ENV = EnvironmentName.of("shop");

    @TempDir
    private Path dir;

    private static DataHead head(final String version, final String halfApplied) {
        return new DataHead("flyway", "public.flyway_schema_history", version, List.of(new Migration(version, null,
                "add", "V%s__add.sql".formatted(version), "42", 1, halfApplied == null, false, Set.of("expand"), null)),
                halfApplied, Instant.parse("2026-05-01T12:00:00Z"));
    }

    @Test
    void shouldKeepEveryHeadSeenAcrossAReopenOfTheLedger() {
        Ledger ledger = Ledger.open(dir.resolve("ledger"));
        RollbackPoint recorded = ledger.record(RollbackPoint.builder(ENV, PointSource.cli("1"))
                .dataHead(new SeenHead("before-deploy", head("1", null), List.of())), "test", "");
        ledger.update(ENV, recorded.id(), "test", "after", b -> b.dataHead(new SeenHead("after-deploy",
                head("2", "V2__add.sql is half-applied"), List.of("2"))));

        RollbackPoint point = Ledger.open(dir.resolve("ledger")).point(ENV, 1); // read back from the journal

        assertThat(point.dataHeads()).extracting(SeenHead::phase).containsExactly("before-deploy", "after-deploy");
        assertThat(point.dataHeads().get(0).head().applied()).as("an earlier head keeps its head only").isEmpty();
        SeenHead last = point.lastHead().orElseThrow();
        assertThat(last.head().halfApplied()).isEqualTo("V2__add.sql is half-applied");
        assertThat(last.expand()).containsExactly("2");
        assertThat(last.head().applied()).singleElement().satisfies(m -> {
            assertThat(m.labels()).containsExactly("expand");
            assertThat(m.success()).isFalse();
        });
    }

    @Test
    void shouldLoadAPointWrittenBeforeHeadsWereKept() throws Exception {
        String old = "{\"id\":3,\"environment\":\"shop\",\"source\":{\"kind\":\"CLI\",\"build\":0,\"runId\":\"r\"},"
                + "\"dataVersion\":\"V41\",\"status\":\"GOOD\",\"revertOf\":0,\"createdAt\":1777636800000}";

        RollbackPoint point = new LedgerCodec().readPoint(old, 3);

        assertThat(point.dataVersion()).isEqualTo("V41");
        assertThat(point.dataHeads()).isEmpty();
        assertThat(point.lastHead()).isEmpty();
    }
}
