/**
 * The ledger: the durable record of every rollback point, per environment, with each environment's
 * circuit and an audit trail of events. Everything else (the guard, the build page button,
 * {@code rollbackTo}, the DORA figures) reads and writes it through {@link
 * io.jenkins.plugins.rollbackguard.engine.ledger.Ledger}.
 */
package io.jenkins.plugins.rollbackguard.engine.ledger;
