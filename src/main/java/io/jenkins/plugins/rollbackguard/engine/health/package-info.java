/**
 * Health probes and their judgement, free of Jenkins: probe configurations ({@link
 * io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec}), one sample ({@link
 * io.jenkins.plugins.rollbackguard.engine.health.Probe}), the judging state machine ({@link
 * io.jenkins.plugins.rollbackguard.engine.health.Analysis}) and the timed driver of several probes ({@link
 * io.jenkins.plugins.rollbackguard.engine.health.Watch}). Parsers live in {@code .syntax}, probe
 * implementations in {@code .probe}. Reference: docs/health.md.
 */
package io.jenkins.plugins.rollbackguard.engine.health;
