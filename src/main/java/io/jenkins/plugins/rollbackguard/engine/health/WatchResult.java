package io.jenkins.plugins.rollbackguard.engine.health;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * The combined verdict of a {@link Watch}: FAILED if any probe failed, else INCONCLUSIVE if any was
 * inconclusive, else PASSED.
 *
 * @param status
 *         the combined status
 * @param verdicts
 *         one verdict per probe
 * @param explanation
 *         one human line: the deciding probe's explanation, or a summary
 */
public record WatchResult(VerdictStatus status, List<Verdict> verdicts, String explanation) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    /** Copies the list. */
    public WatchResult {
        verdicts = List.copyOf(verdicts);
    }

    /**
     * Returns the explanation record of the deciding verdict: the first FAILED probe's, else the first INCONCLUSIVE
     * one's (the verdict whose line is {@link #explanation}); empty when all passed.
     *
     * @return the explanation
     */
    public java.util.Optional<VerdictExplanation> explained() {
        if (status == VerdictStatus.PASSED) {
            return java.util.Optional.empty();
        }
        return verdicts.stream().filter(v -> v.status() == status).findFirst().map(Verdict::explained);
    }

    /**
     * Combines verdicts.
     *
     * @param verdicts
     *         the probes' verdicts
     * @return the result
     */
    public static WatchResult combine(final List<Verdict> verdicts) {
        for (VerdictStatus status : List.of(VerdictStatus.FAILED, VerdictStatus.INCONCLUSIVE)) {
            for (Verdict v : verdicts) {
                if (v.status() == status) {
                    return new WatchResult(status, verdicts, v.explanation());
                }
            }
        }
        return new WatchResult(VerdictStatus.PASSED, verdicts, "all %d probes passed".formatted(verdicts.size()));
    }
}
