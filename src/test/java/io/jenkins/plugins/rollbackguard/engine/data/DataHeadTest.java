package io.jenkins.plugins.rollbackguard.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.jenkins.plugins.rollbackguard.engine.backup.BackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.FilesBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.MysqlBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.backup.PostgresBackupSpec;

/** The head rules without a server: Flyway's version order and cancelling rows, Liquibase's labels, the specs. */
class DataHeadTest {
    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");

    @Test
    void shouldCompareFlywayVersionsAsNumbers() {
        assertThat(FlywayHistory.compareVersions("1.10", "1.9")).isPositive();
        assertThat(FlywayHistory.compareVersions("10", "9")).isPositive();
        assertThat(FlywayHistory.compareVersions("1.0", "1")).isZero();
        assertThat(FlywayHistory.compareVersions("2_1", "2.1")).isZero();
        assertThat(FlywayHistory.compareVersions("20260101.1200", "20251231.2359")).isPositive();
        assertThat(FlywayHistory.compareVersions("1.2", "1.2.1")).isNegative();
    }

    @Test
    void shouldTakeHighestVersionInEffectAfterBaselineDeleteAndUndo() {
        List<JsonNode> rows = List.of(
                row(1, "0", "SCHEMA", "<< Flyway Schema Creation >>", null, true),
                row(2, "5", "BASELINE", "<< Flyway Baseline >>", null, true),
                row(3, "5.1", "SQL", "V5_1__a.sql", 11, true),
                row(4, "5.10", "SQL", "V5_10__b.sql", 12, true),
                row(5, "6", "SQL", "V6__c.sql", 13, true),
                row(6, "6", "UNDO_SQL", "U6__c.sql", 14, true),
                row(7, "5.10", "DELETE", "V5_10__b.sql", 12, true));

        DataHead head = FlywayHistory.head("public.flyway_schema_history", rows, NOW);

        assertThat(head.head()).isEqualTo("5.1");
        assertThat(head.applied()).extracting(Migration::id).containsExactly("5", "5.1");
        assertThat(head.halfApplied()).isNull();
    }

    @Test
    void shouldHashLatestChecksumOfEachRepeatable() {
        List<JsonNode> one = new ArrayList<>(List.of(row(1, "1", "SQL", "V1__a.sql", 1, true),
                row(2, null, "SQL", "R__view.sql", 100, true)));
        DataHead first = FlywayHistory.head("t", one, NOW);
        one.add(row(3, null, "SQL", "R__view.sql", 200, true));
        DataHead second = FlywayHistory.head("t", one, NOW);
        one.add(row(4, null, "SQL", "R__view.sql", 100, true));
        DataHead third = FlywayHistory.head("t", one, NOW);

        assertThat(first.head()).matches("1\\+r:[0-9a-f]{12}");
        assertThat(second.head()).isNotEqualTo(first.head());
        assertThat(third.head()).as("back to the first checksum").isEqualTo(first.head());
        assertThat(FlywayHistory.head("t", List.of(row(1, null, "SQL", "R__v.sql", 1, true)), NOW).head())
                .startsWith(DataHead.NONE + "+r:");
    }

    @Test
    void shouldNameFirstFailedFlywayMigration() {
        DataHead head = FlywayHistory.head("shop.flyway_schema_history", List.of(row(1, "1", "SQL", "V1__a.sql", 1, true),
                row(2, "2", "SQL", "V2__b.sql", 2, false)), NOW);

        assertThat(head.head()).isEqualTo("1");
        assertThat(head.halfApplied()).startsWith("Flyway migration V2__b.sql failed")
                .contains("shop.flyway_schema_history");
    }

    @Test
    void shouldReadLabelsAndContextsLeavingOutNegatedWords() {
        assertThat(LiquibaseHistory.words("expand")).containsExactly("expand");
        assertThat(LiquibaseHistory.words("Expand, prod")).containsExactlyInAnyOrder("expand", "prod");
        assertThat(LiquibaseHistory.words("(expand and prod) or test")).containsExactlyInAnyOrder("expand", "prod", "test");
        assertThat(LiquibaseHistory.words("!expand")).isEmpty();
        assertThat(LiquibaseHistory.words("not expand and prod")).containsExactly("prod");
        assertThat(LiquibaseHistory.words(null)).isEmpty();
    }

    @Test
    void shouldListOnlyRowsNewSinceEarlierHeadEvenAfterRestoreAndRerun() {
        Migration v1 = migration("1", 1, "c1");
        Migration v2 = migration("2", 2, "c2");
        Migration v3 = migration("3", 3, "c3");
        DataHead target = new DataHead("flyway", "t", "2", List.of(v1, v2), null, NOW);
        DataHead current = new DataHead("flyway", "t", "3", List.of(v1, v2, v3), null, NOW);
        DataHead rerun = new DataHead("flyway", "t", "3", List.of(migration("1", 1, "c1"), migration("2", 2, "c2"),
                migration("3", 4, "c3")), null, NOW);

        assertThat(current.since(target)).containsExactly(v3);
        assertThat(rerun.since(current)).as("same migrations, other ranks").isEmpty();
        assertThat(target.since(current)).isEmpty();
        assertThat(current.since(DataHead.none(NOW))).hasSize(3);
    }

    @Test
    void shouldRoundTripThroughJsonAndJavaSerialisation() throws Exception {
        Migration changeset = new Migration("2", "alice", "addColumn", "changelog.sql", "9:abc", 2, true, false,
                Set.of("Expand", "prod"), "v1");
        DataHead head = new DataHead("liquibase", "public.databasechangelog", "2::alice::changelog.sql@v1",
                List.of(changeset), null, NOW);
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
                .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS); // as the ledger's codec

        String json = mapper.writeValueAsString(head);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(head);
        }
        Object copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = in.readObject();
        }

        assertThat(mapper.readValue(json, DataHead.class)).isEqualTo(head);
        assertThat(json).doesNotContain("halfApplied").doesNotContain("\"none\"");
        assertThat(copy).isEqualTo(head);
        assertThat(changeset.labels()).containsExactlyInAnyOrder("expand", "prod");
        assertThat(changeset.name()).isEqualTo("2::alice::changelog.sql");
    }

    @Test
    void shouldSortAlembicBranchHeadsAndSkipRolledBackPrismaMigrations() {
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("version", "b2");
        ObjectNode a = JsonNodeFactory.instance.objectNode().put("version", "a1");
        ObjectNode init = JsonNodeFactory.instance.objectNode().put("migration_name", "1_init")
                .put("finished_at", "2026-01-01").put("started_at", "2026-01-01");
        ObjectNode undone = JsonNodeFactory.instance.objectNode().put("migration_name", "2_notes")
                .put("finished_at", "2026-01-02").put("rolled_back_at", "2026-01-03").put("started_at", "2026-01-02");

        assertThat(OtherHistories.alembic("public.alembic_version", List.of(b, a), NOW).head()).isEqualTo("a1,b2");
        DataHead prisma = OtherHistories.prisma("public._prisma_migrations", List.of(init, undone), NOW);
        assertThat(prisma.head()).isEqualTo("1_init");
        assertThat(prisma.applied()).extracting(Migration::id).containsExactly("1_init");
        assertThat(prisma.halfApplied()).isNull();
    }

    @Test
    void shouldTakeOneValueFromQueryOutput() {
        assertThat(QueryHeadReader.value("  v42 \n", "db")).isEqualTo("v42");
        assertThatThrownBy(() -> QueryHeadReader.value("\n", "db")).isInstanceOf(DataHeadException.class)
                .hasMessage("dataVersion.sql: the query returned no value on db; make it return the data version as "
                        + "one row with one column");
        assertThatThrownBy(() -> QueryHeadReader.value("a\nb\n", "db")).hasMessageContaining("returned 2 rows");
        assertThatThrownBy(() -> QueryHeadReader.value("a\tb\tc\n", "db")).hasMessageContaining("returned 3 columns");
    }

    @Test
    void shouldCheckSourceFieldsWithOneSentenceEach() {
        assertThat(DataSourceSpec.database().lockTimeout()).isEqualTo("10m");
        assertThatThrownBy(() -> new DataSourceSpec("schema", null, null, null, null, null))
                .hasMessageStartingWith("dataVersion.source: 'schema' is not known");
        assertThatThrownBy(() -> new DataSourceSpec("query", null, null, null, null, " "))
                .hasMessageStartingWith("dataVersion.sql: is required with 'source: query'");
        assertThatThrownBy(() -> new DataSourceSpec(null, null, "rails", null, null, null))
                .hasMessageContaining("'rails' is not known").hasMessageContaining("golang-migrate");
        assertThatThrownBy(() -> new DataSourceSpec(null, null, null, "public.history; DROP TABLE x", null, null))
                .hasMessageStartingWith("dataVersion.table: 'public.history; DROP TABLE x' is not a table name");
        assertThatThrownBy(() -> new DataSourceSpec(null, null, null, null, "soon", null))
                .hasMessageContaining("dataVersion.lockTimeout");
        assertThatThrownBy(() -> new DataSourceSpec("database", null, null, null, null, "SELECT 1"))
                .hasMessageStartingWith("dataVersion.sql: is only read with 'source: query'");
    }

    @Test
    void shouldPickTheDatabaseBackupOrSayWhichToName() {
        BackupSpec files = new FilesBackupSpec("/srv/app", null, null, null);
        PostgresBackupSpec shop = new PostgresBackupSpec("db", null, "shop", "app", null, null, null, null);
        MysqlBackupSpec crm = new MysqlBackupSpec("db", null, "crm", "app", null, null, null, null, null);
        DataSourceSpec auto = DataSourceSpec.database();

        assertThat(DataHeads.connection(auto, List.of(files, shop))).isEqualTo(shop);
        assertThatThrownBy(() -> DataHeads.connection(auto, List.of(files)))
                .hasMessageContaining("the policy has none");
        assertThatThrownBy(() -> DataHeads.connection(auto, List.of(files, shop, crm)))
                .hasMessage("dataVersion.backup: the policy has 2 database backups (1: postgres://app@db:5432/shop, "
                        + "2: mysql://app@db:3306/crm); say which one holds the migration history, for example "
                        + "backup: shop");
        assertThat(DataHeads.connection(withBackup("crm"), List.of(files, shop, crm))).isEqualTo(crm);
        assertThat(DataHeads.connection(withBackup("1"), List.of(files, shop, crm))).isEqualTo(shop);
        assertThatThrownBy(() -> DataHeads.connection(withBackup("0"), List.of(files, shop, crm)))
                .hasMessageContaining("'0' names no postgres or mysql backup").hasMessageContaining("1 (shop), 2 (crm)");
    }

    private static DataSourceSpec withBackup(final String backup) {
        return new DataSourceSpec("database", backup, null, null, null, null);
    }

    private static Migration migration(final String id, final int order, final String checksum) {
        return new Migration(id, null, "d" + id, "V" + id + "__d.sql", checksum, order, true, false, Set.of(), null);
    }

    private static JsonNode row(final int rank, final String version, final String type, final String script,
                                final Integer checksum, final boolean success) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("installed_rank", rank);
        row.put("version", version);
        row.put("description", script);
        row.put("type", type);
        row.put("script", script);
        row.put("checksum", checksum);
        row.put("success", success);
        return row;
    }
}
