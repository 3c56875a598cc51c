package io.jenkins.plugins.rollbackguard.engine.ledger;

/**
 * What an attempt to take an environment's lease found.
 *
 * @param granted
 *         whether the caller holds the lease now
 * @param lease
 *         the lease after the attempt: the caller's if granted, else the holder's
 * @param tookOverFrom
 *         the owner found dead whose lease the caller took over, or null
 */
public record LeaseClaim(boolean granted, Lease lease, String tookOverFrom) {
}
