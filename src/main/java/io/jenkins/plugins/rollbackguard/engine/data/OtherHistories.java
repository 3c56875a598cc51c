package io.jenkins.plugins.rollbackguard.engine.data;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the well-known history tables of golang-migrate ({@code schema_migrations(version, dirty)}), Alembic
 * ({@code alembic_version(version_num)}) and Prisma ({@code _prisma_migrations}).
 */
final class OtherHistories {
    private OtherHistories() {
        // static helpers only
    }

    static DataHead read(final SqlSession session, final HistoryTable table, final Instant now) {
        String from = session.quote(table.schema()) + "." + session.quote(table.name());
        Map<String, String> fields = new LinkedHashMap<>();
        switch (table.tool()) {
            case "golang-migrate":
                fields.put("version", session.quote(table.column("version")));
                fields.put("dirty", session.truth(table.column("dirty")));
                return golangMigrate(table.qualified(), session.rows(from, fields, session.quote(table.column("version"))), now);
            case "alembic":
                fields.put("version", session.quote(table.column("version_num")));
                return alembic(table.qualified(), session.rows(from, fields, session.quote(table.column("version_num"))), now);
            default:
                for (String column : List.of("migration_name", "checksum", "started_at", "finished_at",
                        "rolled_back_at")) {
                    fields.put(column, table.column(column) == null ? null : session.quote(table.column(column)));
                }
                String order = (table.column("started_at") == null ? "" : session.quote(table.column("started_at")) + ", ")
                        + session.quote(table.column("migration_name"));
                return prisma(table.qualified(), session.rows(from, fields, order), now);
        }
    }

    /** golang-migrate keeps one row: the version last migrated to, and whether that migration failed midway. */
    static DataHead golangMigrate(final String table, final List<JsonNode> rows, final Instant now) {
        List<Migration> applied = new ArrayList<>();
        String dirty = null;
        for (JsonNode row : rows) {
            String version = SqlSession.text(row, "version");
            boolean clean = !SqlSession.truthy(row, "dirty");
            applied.add(new Migration(version, null, null, null, null, applied.size() + 1, clean, false, Set.of(), null));
            dirty = clean || dirty != null ? dirty : version;
        }
        String head = applied.isEmpty() ? DataHead.NONE : applied.get(applied.size() - 1).id();
        String half = dirty == null ? null : ("golang-migrate migration %s is dirty (dirty = true in %s): it failed "
                + "midway; fix the database, then run migrate force with the last version that is clean")
                .formatted(dirty, table);
        return new DataHead("golang-migrate", table, head, applied, half, now);
    }

    /** Alembic keeps one row per branch head; the head is their sorted list. */
    static DataHead alembic(final String table, final List<JsonNode> rows, final Instant now) {
        List<Migration> applied = new ArrayList<>();
        for (JsonNode row : rows) {
            applied.add(new Migration(SqlSession.text(row, "version"), null, null, null, null, applied.size() + 1, true,
                    false, Set.of(), null));
        }
        String head = applied.isEmpty() ? DataHead.NONE
                : applied.stream().map(Migration::id).sorted().collect(Collectors.joining(","));
        return new DataHead("alembic", table, head, applied, null, now);
    }

    /** Prisma: migrations rolled back are out; one started and not finished is half-applied. */
    static DataHead prisma(final String table, final List<JsonNode> rows, final Instant now) {
        List<Migration> applied = new ArrayList<>();
        String unfinished = null;
        String head = DataHead.NONE;
        for (JsonNode row : rows) {
            if (SqlSession.text(row, "rolled_back_at") != null) {
                continue;
            }
            String name = SqlSession.text(row, "migration_name");
            boolean finished = SqlSession.text(row, "finished_at") != null;
            applied.add(new Migration(name, null, null, null, SqlSession.text(row, "checksum"), applied.size() + 1,
                    finished, false, Set.of(), null));
            if (finished) {
                head = name;
            }
            else if (unfinished == null) {
                unfinished = name + " (started " + SqlSession.text(row, "started_at") + ")";
            }
        }
        String half = unfinished == null ? null : ("Prisma migration %s did not finish (finished_at is empty in %s); "
                + "fix the database, then run prisma migrate resolve").formatted(unfinished, table);
        return new DataHead("prisma", table, head, applied, half, now);
    }
}
