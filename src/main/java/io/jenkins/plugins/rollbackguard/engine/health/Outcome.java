package io.jenkins.plugins.rollbackguard.engine.health;

/** What one sample showed. Errors (the probe could not measure) are kept apart from failures (it measured trouble). */
public enum Outcome {
    /** The target looked healthy (and the value, if any, passed the thresholds). */
    SUCCESS,
    /** The target looked unhealthy: bad status, refused connection, timeout, threshold tripped, non-zero exit. */
    FAILURE,
    /** The thresholds could not decide, e.g. a relative threshold without a baseline. */
    INCONCLUSIVE,
    /** The provider could not produce a measurement: unreadable answer, query error, command not startable. */
    ERROR,
    /** The provider answered but had no data, e.g. an empty Prometheus result. */
    NO_DATA
}
