package io.jenkins.plugins.rollbackguard.engine.health;

/** The end state of a probe or a watch. */
public enum VerdictStatus {
    /** Healthy. */
    PASSED,
    /** A limit was crossed: roll back. */
    FAILED,
    /** Not enough evidence either way. */
    INCONCLUSIVE
}
