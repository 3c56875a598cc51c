package io.jenkins.plugins.rollbackguard.engine.ledger;

import java.time.Instant;
import java.util.List;

/**
 * The first line of a snapshot file; one point per line follows.
 *
 * @param format
 *         the format version
 * @param generation
 *         the snapshot's generation: its journal is {@code journal-<generation>.jsonl}
 * @param lastSeq
 *         the sequence number of the last event it includes
 * @param points
 *         how many point lines follow
 * @param circuit
 *         the circuit
 * @param deploys
 *         DORA: deploys so far
 * @param failures
 *         DORA: failures so far
 * @param restoreMillis
 *         DORA: each restore's duration
 * @param failingSince
 *         DORA: when the current failure began, or null
 * @param recent
 *         the most recent events
 * @param restorable
 *         ids of GOOD and ADOPTED points (null in snapshots without indexes: then every point is parsed)
 * @param inFlight
 *         ids of points still deploying or watching
 * @param lease
 *         the environment's lease (null in snapshots before format 3: free, epoch 0)
 * @param incidents
 *         the incidents and drills so far (null in snapshots written before they were kept: none)
 */
record SnapshotHeader(int format, long generation, long lastSeq, int points, Circuit circuit, long deploys,
                      long failures, List<Long> restoreMillis, Instant failingSince, List<LedgerEvent> recent,
                      List<Long> restorable, List<Long> inFlight, Lease lease,
                      List<Incident> incidents) {
}
