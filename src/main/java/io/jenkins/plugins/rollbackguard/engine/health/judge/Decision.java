package io.jenkins.plugins.rollbackguard.engine.health.judge;

/** What a judge says after a sample, or at the end of the watch. */
public enum Decision {
    /** The evidence shows the effect: the probe fails. Final. */
    TRIP,
    /** The evidence shows the probe healthy. Final. */
    PASS,
    /** Not enough evidence yet either way: keep watching. Never the answer at the end of the watch. */
    CONTINUE,
    /** The judge cannot decide (too few samples, no baseline, no data). Final at the end of the watch. */
    INCONCLUSIVE;

    /** @return whether the judge has decided (trip or pass) */
    public boolean isFinal() {
        return this == TRIP || this == PASS;
    }
}
