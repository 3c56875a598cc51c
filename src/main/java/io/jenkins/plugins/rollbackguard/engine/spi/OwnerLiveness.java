package io.jenkins.plugins.rollbackguard.engine.spi;

/**
 * Tells whether the recorded owner of an environment's lease is certainly gone, so that another deploy may take
 * the lease over. Answer {@code true} only when sure: a lease whose owner might still resume must hold.
 *
 * <p>Owners are {@code cli:<host>:<pid>:<start millis>} (see {@link LeaseOwners#process()}) or
 * {@code jenkins:<job#build>}, a build's externalizable id: a Jenkins host answers from
 * {@code Run.fromExternalizableId} (dead when it is gone or no longer building, once Jenkins has started).</p>
 */
@FunctionalInterface
public interface OwnerLiveness {
    /**
     * Tells whether an owner is certainly gone.
     *
     * @param owner
     *         a lease owner as recorded
     * @return whether it can never renew or release its lease
     */
    boolean isDead(String owner);

    /** @return a liveness that never declares an owner dead (only {@code lease break} frees its leases) */
    static OwnerLiveness never() {
        return owner -> false;
    }
}
