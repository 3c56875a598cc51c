package io.jenkins.plugins.rollbackguard.engine.guard;

import java.time.Duration;
import java.util.function.Consumer;

import io.jenkins.plugins.rollbackguard.engine.ledger.EnvironmentName;
import io.jenkins.plugins.rollbackguard.engine.ledger.Lease;
import io.jenkins.plugins.rollbackguard.engine.ledger.LeaseClaim;
import io.jenkins.plugins.rollbackguard.engine.ledger.Ledger;
import io.jenkins.plugins.rollbackguard.engine.spi.LeaseOwners;

/**
 * Serialises guarded deploys and rollbacks of one environment across threads, processes and hosts for the whole of
 * a deploy: the environment's lease in the ledger, held from the take until {@link #close()}. A second run waits up
 * to a timeout for the holder to release it (or to be found dead), or is refused at once.
 */
public final class EnvironmentLease implements AutoCloseable {
    private static final long POLL_MILLIS = 200;

    private final Ledger ledger;
    private final EnvironmentName environment;
    private final Lease lease;

    private EnvironmentLease(final Ledger ledger, final EnvironmentName environment, final Lease lease) {
        this.ledger = ledger;
        this.environment = environment;
        this.lease = lease;
    }

    /**
     * Takes the lease of an environment.
     *
     * @param ledger
     *         the ledger
     * @param environment
     *         the environment
     * @param owners
     *         who takes it, and which holders are gone
     * @param wait
     *         how long to wait for another run to release it; zero refuses at once
     * @param progress
     *         told how the lease was taken
     * @return the held lease
     * @throws GuardRefusedException
     *         if another live run still holds it
     */
    public static EnvironmentLease take(final Ledger ledger, final EnvironmentName environment,
                                        final LeaseOwners owners, final Duration wait, final Consumer<String> progress) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (true) {
            LeaseClaim claim = ledger.takeLease(environment, owners.self(), owners.liveness());
            Lease lease = claim.lease();
            if (claim.granted()) {
                progress.accept(claim.tookOverFrom() == null
                        ? "took the lease of '%s' as %s (epoch %d)".formatted(environment, lease.owner(), lease.epoch())
                        : "took over the lease of '%s' as %s (epoch %d): its holder %s is gone"
                                .formatted(environment, lease.owner(), lease.epoch(), claim.tookOverFrom()));
                return new EnvironmentLease(ledger, environment, lease);
            }
            if (System.nanoTime() >= deadline) {
                throw new GuardRefusedException(("environment '%s' is busy: another guarded deploy holds its lease, "
                        + "held by %s since %s (epoch %d; waited %ds); set concurrent: wait and lockTimeout to wait "
                        + "longer, or break it with rollback-guard lease break --env %s --reason ...")
                        .formatted(environment, lease.owner(), lease.since(), lease.epoch(), wait.toSeconds(),
                                environment));
            }
            if (!told) {
                progress.accept("waiting up to %ds for the lease of '%s', %s"
                        .formatted(wait.toSeconds(), environment, lease.describe()));
                told = true;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GuardException("interrupted while waiting for the lease of environment '%s'"
                        .formatted(environment), e);
            }
        }
    }

    /** @return the lease held */
    public Lease lease() {
        return lease;
    }

    /** Releases the lease, unless it was broken or taken over meanwhile. */
    @Override
    public void close() {
        ledger.releaseLease(environment, lease.owner(), lease.epoch());
    }
}
