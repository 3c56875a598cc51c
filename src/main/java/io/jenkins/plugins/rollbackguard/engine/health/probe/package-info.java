/**
 * Probe implementations (HTTP, Prometheus, command) and the {@code ProbeFactory} that builds them from
 * specs, resolving secrets through the {@code SecretSource} port.
 */
package io.jenkins.plugins.rollbackguard.engine.health.probe;
