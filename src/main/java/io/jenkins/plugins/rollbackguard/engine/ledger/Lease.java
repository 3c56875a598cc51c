package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.time.Instant;

/**
 * An environment's lease: who runs a guarded deploy (or rollback) of it now. Changed only by journal records, so
 * every process sharing the ledger sees the same holder.
 *
 * @param owner
 *         the holder ({@code cli:<host>:<pid>:<start>} or {@code jenkins:<job#build>}), or null when free
 * @param epoch
 *         how many times the lease was taken; a re-confirmation by the same owner keeps it
 * @param since
 *         when the holder took it (or when it was freed)
 * @param renewed
 *         when the holder last took, re-confirmed or renewed it, or null when free
 */
public record Lease(String owner, long epoch, Instant since, Instant renewed) {
    /** @return the lease of an environment that never had one */
    static Lease none() {
        return new Lease(null, 0, null, null);
    }

    /** @return whether someone holds it */
    public boolean isHeld() {
        return owner != null;
    }

    /**
     * @param name an owner
     * @param atEpoch the epoch it took the lease at
     * @return whether that owner holds it at that epoch
     */
    public boolean isHeldBy(final String name, final long atEpoch) {
        return owner != null && owner.equals(name) && epoch == atEpoch;
    }

    /** @return a one-line description: {@code held by O since T (epoch N)} or {@code free} */
    public String describe() {
        return isHeld() ? "held by %s since %s (epoch %d)".formatted(owner, since, epoch) : "free";
    }
}
