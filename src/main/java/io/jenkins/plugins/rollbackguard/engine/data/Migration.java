package io.jenkins.plugins.rollbackguard.engine.data;

import java.io.Serial;
import java.io.Serializable;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One applied migration as the history table records it, in execution order.
 *
 * @param id
 *         Flyway: the version ("3.1"), or the description for a repeatable; Liquibase: the changeset id;
 *         golang-migrate, Alembic, Prisma: the version or migration name
 * @param author
 *         the Liquibase author; null for the other tools
 * @param description
 *         the description, or null
 * @param script
 *         the Flyway script (V3_1__add_notes.sql) or the Liquibase changelog file, or null
 * @param checksum
 *         the checksum as stored, or null
 * @param order
 *         the position in execution order (Flyway installed_rank, Liquibase orderexecuted)
 * @param success
 *         Flyway success; Liquibase: exectype is not FAILED; golang-migrate: not dirty; Prisma: finished
 * @param repeatable
 *         whether this is a Flyway repeatable (R__) migration
 * @param labels
 *         Liquibase labels and contexts, lower-cased; empty for the other tools
 * @param tag
 *         the Liquibase tag on this row, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Migration(String id, String author, String description, String script, String checksum, int order,
                        boolean success, boolean repeatable, Set<String> labels, String tag)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Copies the labels, lower-cased and sorted. */
    public Migration {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("migration id: is empty");
        }
        Set<String> lowered = new TreeSet<>();
        if (labels != null) {
            labels.stream().filter(label -> label != null && !label.isBlank())
                    .map(label -> label.strip().toLowerCase(Locale.ROOT)).forEach(lowered::add);
        }
        labels = Set.copyOf(lowered);
        tag = tag == null || tag.isBlank() ? null : tag;
    }

    /**
     * Returns whether this migration carries a label or context.
     *
     * @param label
     *         the label, case-insensitive
     * @return whether it carries it
     */
    public boolean hasLabel(final String label) {
        return labels.contains(label.toLowerCase(Locale.ROOT));
    }

    /** @return how this migration is named to a user: Liquibase "id::author::file", else the script or the id */
    public String name() {
        if (author != null) {
            return id + "::" + author + "::" + script;
        }
        if (script != null && !script.isBlank()) {
            return script;
        }
        return description == null || description.isBlank() || description.equals(id) ? id : id + " (" + description + ")";
    }
}
