package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.jenkins.plugins.rollbackguard.engine.data.DataHead;
import io.jenkins.plugins.rollbackguard.engine.data.Migration;

/**
 * A data head the guard read during a point's life, kept on the point: when ({@code phase}) and what. The newest head
 * of a point keeps its last {@value #KEPT} migrations (what a rollback to an earlier point may cross); earlier heads
 * of the same point keep their head only, so that a point stays small in the journal.
 *
 * @param phase
 *         when it was read: {@code before-deploy}, {@code after-deploy}, {@code watch-end}, {@code trip},
 *         {@code rollback}, {@code after-undo}, {@code after-restore}
 * @param head
 *         the head read
 * @param expand
 *         the ids of the head's migrations whose script carries the {@code -- rollback-guard: expand} marker, read
 *         from the workspace's migrations directory at the time (a revert may run elsewhere)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SeenHead(String phase, DataHead head, List<String> expand) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release
    /** How many of its newest migrations the newest head of a point keeps. */
    public static final int KEPT = 50;

    /** Checks and copies the values. */
    public SeenHead {
        if (phase == null || phase.isBlank() || head == null) {
            throw new IllegalArgumentException("dataHeads: a head needs its phase and its value");
        }
        expand = expand == null ? List.of() : List.copyOf(expand);
    }

    /** @return this head with its newest {@value #KEPT} migrations only */
    SeenHead trimmed() {
        List<Migration> applied = head.applied();
        return applied.size() <= KEPT ? this : new SeenHead(phase, withApplied(applied.subList(applied.size() - KEPT,
                applied.size())), expand);
    }

    /** @return this head without its migrations (an earlier head of the point) */
    SeenHead headOnly() {
        return head.applied().isEmpty() ? this : new SeenHead(phase, withApplied(List.of()), expand);
    }

    private DataHead withApplied(final List<Migration> applied) {
        return new DataHead(head.tool(), head.table(), head.head(), applied, head.halfApplied(), head.readAt());
    }
}
