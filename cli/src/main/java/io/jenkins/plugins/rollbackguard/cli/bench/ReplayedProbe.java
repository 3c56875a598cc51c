package io.jenkins.plugins.rollbackguard.cli.bench;

import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;

/** One probe of a policy, replayed over a simulated deploy through one of the engine's judges. */
interface ReplayedProbe {
    /** @return the probe's name */
    String name();

    /**
     * Replays the probe over a deploy.
     *
     * @param trace
     *         the deploy
     * @param noData
     *         whether the provider answers nothing (every sample empty, the baseline too)
     * @return its verdict and when it was reached
     */
    Run run(Trace trace, boolean noData);

    /**
     * A probe's verdict over one deploy.
     *
     * @param probe
     *         the probe's name
     * @param status
     *         the verdict
     * @param at
     *         milliseconds from the deploy when the verdict was reached (the tripping sample's time)
     */
    record Run(String probe, VerdictStatus status, long at) {
        /** @return whether the probe tripped */
        boolean tripped() {
            return status == VerdictStatus.FAILED;
        }
    }
}
