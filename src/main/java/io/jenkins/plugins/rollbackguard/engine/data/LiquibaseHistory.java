package io.jenkins.plugins.rollbackguard.engine.data;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.rollbackguard.engine.health.syntax.Durations;

/**
 * Reads Liquibase's {@code DATABASECHANGELOG}: the rows in execution order (ORDEREXECUTED, then DATEEXECUTED), the
 * last changeset and the last tag. A {@code DATABASECHANGELOGLOCK} held longer than the lock timeout means an update
 * died midway, so the head is half-applied.
 */
final class LiquibaseHistory {
    private static final Set<String> OPERATORS = Set.of("and", "or");
    private static final Pattern WORD = Pattern.compile("(!\\s*)?([\\w.$-]+)");

    private LiquibaseHistory() {
        // static helpers only
    }

    static DataHead read(final SqlSession session, final HistoryTable table, final Duration lockTimeout,
                         final Instant now) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String column : List.of("id", "author", "filename", "orderexecuted", "exectype", "md5sum",
                "description", "tag", "contexts", "labels")) {
            String real = table.column(column);
            fields.put(column, real == null ? null : session.quote(real));
        }
        String from = session.quote(table.schema()) + "." + session.quote(table.name());
        String order = session.quote(table.column("orderexecuted"))
                + (table.column("dateexecuted") == null ? "" : ", " + session.quote(table.column("dateexecuted")));
        List<JsonNode> rows = session.rows(from, fields, order);
        String lock = lockHeld(session, table, lockTimeout);
        return head(table.qualified(), rows, lock, now);
    }

    static DataHead head(final String table, final List<JsonNode> rows, final String halfApplied, final Instant now) {
        List<Migration> applied = new ArrayList<>();
        String lastTag = null;
        String failed = null;
        for (JsonNode row : rows) {
            Migration migration = migration(row);
            applied.add(migration);
            lastTag = migration.tag() == null ? lastTag : migration.tag();
            failed = !migration.success() && failed == null ? migration.name() : failed;
        }
        String head = applied.isEmpty() ? DataHead.NONE : applied.get(applied.size() - 1).name();
        if (lastTag != null) {
            head += "@" + lastTag;
        }
        String half = halfApplied;
        if (half == null && failed != null) {
            half = ("Liquibase changeset %s is recorded as FAILED in %s; fix it and run liquibase update before any "
                    + "deploy or rollback").formatted(failed, table);
        }
        return new DataHead("liquibase", table, head, applied, half, now);
    }

    private static Migration migration(final JsonNode row) {
        String order = SqlSession.text(row, "orderexecuted");
        String exectype = SqlSession.text(row, "exectype");
        Set<String> labels = words(SqlSession.text(row, "labels"));
        labels.addAll(words(SqlSession.text(row, "contexts")));
        return new Migration(SqlSession.text(row, "id"), String.valueOf(SqlSession.text(row, "author")),
                SqlSession.text(row, "description"), SqlSession.text(row, "filename"), SqlSession.text(row, "md5sum"),
                order == null ? 0 : Integer.parseInt(order), !"FAILED".equalsIgnoreCase(exectype), false, labels,
                SqlSession.text(row, "tag"));
    }

    /**
     * Returns the words of a label or context expression ("expand, (prod and !test)"), leaving out the negated
     * ones ({@code !expand}, {@code not expand}), which say the changeset runs when that word does NOT apply.
     */
    static Set<String> words(final String expression) {
        Set<String> words = new HashSet<>();
        if (expression == null || expression.isBlank()) {
            return words;
        }
        Matcher matcher = WORD.matcher(expression.toLowerCase(Locale.ROOT));
        boolean negated = false;
        while (matcher.find()) {
            String word = matcher.group(2);
            if (word.equals("not")) {
                negated = true;
            }
            else if (!OPERATORS.contains(word)) {
                if (matcher.group(1) == null && !negated) {
                    words.add(word);
                }
                negated = false;
            }
        }
        return words;
    }

    /** @return the sentence naming a lock held past the timeout, or null */
    private static String lockHeld(final SqlSession session, final HistoryTable table, final Duration timeout) {
        String lockTable = table.name().equals(table.name().toUpperCase(Locale.ROOT))
                ? table.name() + "LOCK" : table.name() + "lock";
        if (!exists(session, table.schema(), lockTable)) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("lockedby", session.quote("lockedby"));
        fields.put("lockgranted", session.quote("lockgranted"));
        fields.put("age", session.postgres() ? "extract(epoch from (localtimestamp - \"lockgranted\"))"
                : "TIMESTAMPDIFF(SECOND, `lockgranted`, NOW())");
        String from = session.quote(table.schema()) + "." + session.quote(lockTable);
        return session.rows(from + " WHERE " + session.truth("locked"), fields, "").stream()
                .filter(lock -> SqlSession.seconds(lock, "age").compareTo(timeout) > 0).findFirst()
                .map(lock -> ("Liquibase's lock in %s has been held by %s since %s, longer than lockTimeout %s: an "
                        + "update died midway or still runs; check the database, then run liquibase release-locks")
                        .formatted(table.schema() + "." + lockTable, SqlSession.text(lock, "lockedby"),
                                SqlSession.text(lock, "lockgranted"), Durations.format(timeout)))
                .orElse(null);
    }

    private static boolean exists(final SqlSession session, final String schema, final String table) {
        return !session.run("SELECT count(*) FROM information_schema.tables WHERE table_schema = %s AND table_name = %s"
                .formatted(session.literal(schema), session.literal(table))).strip().equals("0");
    }
}
