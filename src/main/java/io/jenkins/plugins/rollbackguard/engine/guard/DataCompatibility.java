package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.jenkins.plugins.rollbackguard.engine.data.DataHead;
import io.jenkins.plugins.rollbackguard.engine.data.Migration;
import io.jenkins.plugins.rollbackguard.engine.ledger.RollbackPoint;
import io.jenkins.plugins.rollbackguard.engine.ledger.SeenHead;

/**
 * What a code rollback from one point to another does to the data, from the data heads both points keep: the
 * migrations it would cross, which of them are declared backward compatible (expand), and whether a migration is
 * half-applied. Points without heads (a data version given as a value or a command) compare their data versions only.
 * Pure: it reads the points, never a database.
 */
final class DataCompatibility {
    /** The marker a Flyway script carries to declare itself backward compatible. */
    static final String MARKER = "rollback-guard: expand";
    /** The Liquibase label or context that declares a changeset backward compatible. */
    static final String EXPAND = "expand";

    private DataCompatibility() {
    }

    /**
     * The data versions compared: the heads when both points have one, else their data versions.
     *
     * @param leaving
     *         the point left
     * @param target
     *         the point returned to
     * @return [now, then]; either may be null when not tracked
     */
    static String[] versions(final RollbackPoint leaving, final RollbackPoint target) {
        Optional<SeenHead> now = leaving.lastHead();
        Optional<SeenHead> then = target.lastHead();
        if (now.isPresent() && then.isPresent()) {
            return new String[] {now.get().head().head(), then.get().head().head()};
        }
        return new String[] {leaving.dataVersion(), target.dataVersion()};
    }

    /**
     * @param leaving
     *         the point left
     * @param target
     *         the point returned to
     * @return whether a rollback crosses a change of data version that both points tracked
     */
    static boolean changed(final RollbackPoint leaving, final RollbackPoint target) {
        String[] versions = versions(leaving, target);
        return versions[0] != null && versions[1] != null && !Objects.equals(versions[0], versions[1]);
    }

    /**
     * @param leaving
     *         the point left
     * @return the sentence naming a half-applied migration in the newest head of the point, if any
     */
    static Optional<String> halfApplied(final RollbackPoint leaving) {
        return leaving.lastHead().map(seen -> seen.head().halfApplied());
    }

    /**
     * The migrations a rollback from {@code leaving} to {@code target} crosses: applied after the target's head, in
     * execution order. Empty when either point has no head, or the heads list no migrations (a query source).
     *
     * @param leaving
     *         the point left
     * @param target
     *         the point returned to
     * @return the migrations crossed
     */
    static List<Migration> crossed(final RollbackPoint leaving, final RollbackPoint target) {
        Optional<SeenHead> now = leaving.lastHead();
        Optional<SeenHead> then = target.lastHead();
        if (now.isEmpty() || then.isEmpty() || now.get().head().applied().isEmpty()) {
            return List.of();
        }
        DataHead earlier = then.get().head();
        List<Migration> since = now.get().head().since(earlier);
        if (earlier.applied().size() >= SeenHead.KEPT) { // the target kept its newest only: older rows are not new
            int oldest = earlier.applied().stream().mapToInt(Migration::order).min().orElse(0);
            since = since.stream().filter(m -> m.order() >= oldest).toList();
        }
        return since;
    }

    /**
     * Tells whether a migration is declared backward compatible: its Flyway script carries the
     * {@code -- rollback-guard: expand} marker (read at deploy time, kept on the point), its Liquibase changeset has
     * the label or context {@code expand}, or the policy lists it in {@code dataVersion.compatible}.
     *
     * @param migration
     *         the migration
     * @param leaving
     *         the point whose heads recorded the markers
     * @param spec
     *         the policy's data version, or null
     * @return whether it is declared expand
     */
    static boolean isExpand(final Migration migration, final RollbackPoint leaving, final DataVersionSpec spec) {
        if (migration.hasLabel(EXPAND)) {
            return true;
        }
        if (spec != null && spec.declaresCompatible(migration.id(), migration.script(), migration.name())) {
            return true;
        }
        return leaving.dataHeads().stream().anyMatch(seen -> seen.expand().contains(migration.id()));
    }

    /**
     * @param migrations
     *         migrations crossed
     * @param leaving
     *         the point whose heads recorded the markers
     * @param spec
     *         the policy's data version, or null
     * @return those not declared expand
     */
    static List<Migration> blocking(final List<Migration> migrations, final RollbackPoint leaving,
                                    final DataVersionSpec spec) {
        List<Migration> blocking = new ArrayList<>();
        for (Migration migration : migrations) {
            if (!isExpand(migration, leaving, spec)) {
                blocking.add(migration);
            }
        }
        return blocking;
    }

    /**
     * @param migrations
     *         migrations
     * @return their names, comma-separated, at most five and a count of the rest
     */
    static String names(final List<Migration> migrations) {
        Set<String> names = new java.util.LinkedHashSet<>();
        migrations.forEach(m -> names.add(m.name()));
        List<String> shown = new ArrayList<>(names);
        String text = String.join(", ", shown.subList(0, Math.min(5, shown.size())));
        return shown.size() > 5 ? text + " and %d more".formatted(shown.size() - 5) : text;
    }

    /**
     * @param leaving
     *         a point
     * @return the last Liquibase tag its newest head shows, or null
     */
    static String lastTag(final RollbackPoint leaving) {
        return leaving.lastHead().map(seen -> {
            String tag = null;
            for (Migration m : seen.head().applied()) {
                tag = m.tag() != null ? m.tag() : tag;
            }
            return tag;
        }).orElse(null);
    }

    /** @return the ids of the migrations whose scripts (among {@code scripts}) carry the marker */
    static List<String> marked(final DataHead head, final java.util.function.Predicate<String> scriptMarked) {
        Set<String> ids = new TreeSet<>();
        for (Migration m : head.applied()) {
            if (m.script() != null && scriptMarked.test(m.script())) {
                ids.add(m.id());
            }
        }
        return List.copyOf(ids);
    }
}
