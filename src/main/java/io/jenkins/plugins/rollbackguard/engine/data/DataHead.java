package io.jenkins.plugins.rollbackguard.engine.data;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data head read from one database at one moment.
 *
 * @param tool
 *         "flyway", "liquibase", "golang-migrate", "alembic", "prisma", "query", "none" (no migration history
 *         found), or "value" / "command" for the older sources
 * @param table
 *         the schema-qualified table read, e.g. "public.flyway_schema_history"; null for query, none, value, command
 * @param head
 *         the compared value: Flyway's highest successful versioned version (plus "+r:" and a hash of the
 *         repeatable checksums, if any), Liquibase's last changeset "id::author::file" (plus "@tag" if the last
 *         tag is on it or before it), a query's output; {@link #NONE} when there is no history
 * @param applied
 *         all rows in execution order; empty for query, none, value and command
 * @param halfApplied
 *         null, or one sentence naming the half-applied migration (Flyway success = false, a Liquibase lock
 *         held past its timeout, golang-migrate dirty, a Prisma migration not finished)
 * @param readAt
 *         when it was read
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// isX() methods are no properties: an @JsonIgnore on isHalfApplied() made Jackson drop the halfApplied component
// when a head was read back from the ledger (a restart forgot a half-applied migration)
@com.fasterxml.jackson.annotation.JsonAutoDetect(isGetterVisibility = com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
public record DataHead(String tool, String table, String head, List<Migration> applied, String halfApplied,
                       Instant readAt) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** The head of a database without any migration history. */
    public static final String NONE = "none";

    /** Checks and copies the values. */
    public DataHead {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(head, "head");
        applied = applied == null ? List.of() : List.copyOf(applied);
        halfApplied = halfApplied == null || halfApplied.isBlank() ? null : halfApplied;
    }

    /**
     * Returns the head of a database in which no migration history table was found.
     *
     * @param readAt
     *         when it was looked for
     * @return the head, tool "none"
     */
    public static DataHead none(final Instant readAt) {
        return new DataHead("none", null, NONE, List.of(), null, readAt);
    }

    /** @return whether no migration history was found */
    @JsonIgnore
    public boolean isNone() {
        return "none".equals(tool);
    }

    /** @return whether a migration is half-applied */
    public boolean isHalfApplied() {
        return halfApplied != null;
    }

    /** @return the last applied migration in execution order, or null */
    @JsonIgnore
    public Migration last() {
        return applied.isEmpty() ? null : applied.get(applied.size() - 1);
    }

    /**
     * Returns the migrations applied after {@code earlier}'s head, in order: what a rollback to
     * {@code earlier} would cross. A row counts as new when no row of {@code earlier} has the same id, author,
     * script and checksum, so a repeatable migration re-applied with a new checksum counts and a database
     * restored and migrated again does not count its old rows twice.
     *
     * @param earlier
     *         the head seen before, such as the rollback target's
     * @return the rows applied since, in execution order; empty when neither side lists rows
     */
    public List<Migration> since(final DataHead earlier) {
        Set<List<Object>> before = new HashSet<>();
        if (earlier != null) {
            earlier.applied().forEach(migration -> before.add(key(migration)));
        }
        return applied.stream().filter(migration -> !before.contains(key(migration))).toList();
    }

    private static List<Object> key(final Migration migration) {
        return java.util.Arrays.asList(migration.id(), migration.author(), migration.script(), migration.checksum());
    }

    /** @return one line for a log or a dry run: the tool, the table and the head */
    public String describe() {
        if (isNone()) {
            return "no migration history (no Flyway, Liquibase, golang-migrate, Alembic or Prisma table found)";
        }
        String where = table == null ? tool : tool + " " + table;
        return where + " at " + head + (halfApplied == null ? "" : "; " + halfApplied);
    }
}
