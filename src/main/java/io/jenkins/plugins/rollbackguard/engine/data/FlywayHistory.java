package io.jenkins.plugins.rollbackguard.engine.data;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads Flyway's {@code flyway_schema_history}. The head is the highest version among the successful versioned
 * migrations still in effect (a later UNDO or DELETE row takes its version out; the SCHEMA marker is no
 * migration; a BASELINE counts as its version), followed by {@code +r:} and a hash of the checksums of the
 * repeatable migrations in effect (each one's latest successful run), so that a changed repeatable changes the head.
 */
final class FlywayHistory {
    private static final Set<String> CANCELLING = Set.of("DELETE", "UNDO_SQL", "UNDO_JDBC", "UNDO_SCRIPT");

    private FlywayHistory() {
        // static helpers only
    }

    static DataHead read(final SqlSession session, final HistoryTable table, final Instant now) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String column : List.of("installed_rank", "version", "description", "type", "script", "checksum")) {
            fields.put(column, column(session, table, column));
        }
        fields.put("success", session.truth(table.column("success")));
        String from = session.quote(table.schema()) + "." + session.quote(table.name());
        List<JsonNode> rows = session.rows(from, fields, session.quote(table.column("installed_rank")));
        return head(table.qualified(), rows, now);
    }

    private static String column(final SqlSession session, final HistoryTable table, final String lower) {
        String column = table.column(lower);
        return column == null ? null : session.quote(column);
    }

    /** Builds the head from the rows in installed_rank order. */
    static DataHead head(final String table, final List<JsonNode> rows, final Instant now) {
        List<Migration> applied = inEffect(rows);
        String failed = null;
        String highest = null;
        Map<String, String> repeatables = new TreeMap<>();
        for (Migration migration : applied) {
            if (!migration.success()) {
                failed = failed == null ? migration.name() : failed;
            }
            else if (migration.repeatable()) {
                repeatables.put(migration.script() == null ? migration.id() : migration.script(),
                        String.valueOf(migration.checksum()));
            }
            else if (highest == null || compareVersions(migration.id(), highest) > 0) {
                highest = migration.id();
            }
        }
        String head = (highest == null ? DataHead.NONE : highest) + (repeatables.isEmpty() ? "" : "+r:" + hash(repeatables));
        String halfApplied = failed == null ? null : ("Flyway migration %s failed and is recorded with success = false "
                + "in %s; repair the database by hand and run flyway repair before any deploy or rollback")
                .formatted(failed, table);
        return new DataHead("flyway", table, head, applied, halfApplied, now);
    }

    /** The migrations still in effect: a DELETE or UNDO row takes its version out; the SCHEMA marker is none. */
    private static List<Migration> inEffect(final List<JsonNode> rows) {
        List<Migration> applied = new ArrayList<>();
        for (JsonNode row : rows) {
            String type = String.valueOf(SqlSession.text(row, "type")).toUpperCase(java.util.Locale.ROOT);
            String version = SqlSession.text(row, "version");
            if (CANCELLING.contains(type)) {
                applied.removeIf(m -> !m.repeatable() && m.id().equals(version));
            }
            else if (!type.equals("SCHEMA")) {
                applied.add(migration(row, version));
            }
        }
        return applied;
    }

    private static Migration migration(final JsonNode row, final String version) {
        String description = SqlSession.text(row, "description");
        boolean repeatable = version == null || version.isBlank();
        String rank = SqlSession.text(row, "installed_rank");
        return new Migration(repeatable ? String.valueOf(description) : version, null, description,
                SqlSession.text(row, "script"), SqlSession.text(row, "checksum"),
                rank == null ? 0 : Integer.parseInt(rank), SqlSession.truthy(row, "success"), repeatable, Set.of(),
                null);
    }

    /**
     * Compares Flyway versions part by part as numbers ("1.10" after "1.9"; "1.0" equals "1"); '_' counts as '.'.
     * A part that is not a number compares as text.
     */
    static int compareVersions(final String left, final String right) {
        String[] a = left.replace('_', '.').split("\\.");
        String[] b = right.replace('_', '.').split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "0";
            String y = i < b.length ? b[i] : "0";
            int c = x.matches("\\d+") && y.matches("\\d+") ? new BigInteger(x).compareTo(new BigInteger(y))
                    : x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String hash(final Map<String, String> repeatables) {
        StringBuilder text = new StringBuilder();
        repeatables.forEach((script, checksum) -> text.append(script).append('=').append(checksum).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
