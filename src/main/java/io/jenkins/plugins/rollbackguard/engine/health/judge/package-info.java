/**
 * Statistical judges of one probe, free of time, I/O and Jenkins: a sequential probability ratio test for rates
 * ({@link io.jenkins.plugins.rollbackguard.engine.health.judge.SequentialRateJudge}), a one-sided Mann-Whitney U test
 * for latencies ({@link io.jenkins.plugins.rollbackguard.engine.health.judge.MannWhitneyJudge}), the counter deltas
 * that feed the first ({@link io.jenkins.plugins.rollbackguard.engine.health.judge.CounterDeltas}), the effect they
 * look for ({@link io.jenkins.plugins.rollbackguard.engine.health.judge.Effect}) and how alpha bounds the false
 * trips of a probe and of a deploy ({@link io.jenkins.plugins.rollbackguard.engine.health.judge.AlphaBudget}). Nothing here imports
 * the rest of {@code engine.health}, which uses it (the no-data table is there: {@code NoDataTable}). Each judge is
 * fed one probe sample at a time and answers a {@link io.jenkins.plugins.rollbackguard.engine.health.judge.Judgement}:
 * trip or keep watching, and at the end of the watch trip, pass or inconclusive. Reference: docs/health.md, "Statistical judges".
 */
package io.jenkins.plugins.rollbackguard.engine.health.judge;
