/**
 * Statistical judges of one probe, free of time, I/O and Jenkins: a sequential probability ratio test for rates
 * ({@link io.jenkins.plugins.rollbackguard.engine.health.judge.SequentialRateJudge}), a one-sided Mann-Whitney U test
 * for latencies ({@link io.jenkins.plugins.rollbackguard.engine.health.judge.MannWhitneyJudge}), the counter deltas
 * that feed the first ({@link io.jenkins.plugins.rollbackguard.engine.health.judge.CounterDeltas}), the effect they
 * look for ({@link io.jenkins.plugins.rollbackguard.engine.health.judge.Effect}) and the split of a deploy's alpha
 * across its probes ({@link io.jenkins.plugins.rollbackguard.engine.health.judge.AlphaBudget}). Nothing here imports
 * the rest of {@code engine.health}, which uses it (the no-data table is there: {@code NoDataTable}). Each judge is
 * fed one probe sample at a time and answers a {@link io.jenkins.plugins.rollbackguard.engine.health.judge.Judgement}:
 * trip, pass, keep watching, or inconclusive. Reference: docs/health.md, "Statistical judges".
 */
package io.jenkins.plugins.rollbackguard.engine.health.judge;
