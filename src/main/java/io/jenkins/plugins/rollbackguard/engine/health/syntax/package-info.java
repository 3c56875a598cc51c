/**
 * The small languages of health policies: durations ({@code 1h30m}) and thresholds ({@code drop > 20%}),
 * parsed to values and trees without executing any code.
 */
package io.jenkins.plugins.rollbackguard.engine.health.syntax;
