package io.jenkins.plugins.rollbackguard.engine.health.syntax;

import java.io.Serial;
import java.io.Serializable;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A probe's pair of thresholds, {@code failIf} and {@code successIf}, either of which may be absent.
 * Classifies a value the way Argo Rollouts does: failIf holding means failure; successIf holding means
 * success; with both given and neither holding the value is inconclusive; with only successIf given, a
 * value that misses it fails; with only failIf given, a value that does not trip it succeeds.
 */
public final class Thresholds implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L; // first release

    private final Condition failIf; // null when absent
    private final Condition successIf; // null when absent
    private final String failText; // as written, for explanations; null when absent (or read from an older form)
    private final String successText;

    private Thresholds(final Condition failIf, final Condition successIf, final String failText,
                       final String successText) {
        this.failIf = failIf;
        this.successIf = successIf;
        this.failText = failIf == null ? null : failText.strip();
        this.successText = successIf == null ? null : successText.strip();
    }

    /**
     * Parses both thresholds.
     *
     * @param path
     *         the probe's path in the policy, e.g. {@code probes[0]}; errors name {@code path.failIf}
     * @param failIf
     *         the failure threshold, null or blank for none
     * @param successIf
     *         the success threshold, null or blank for none
     * @return the thresholds
     * @throws SyntaxException
     *         if a threshold does not parse
     */
    public static Thresholds parse(final String path, final String failIf, final String successIf) {
        return new Thresholds(parseOptional(path + ".failIf", failIf), parseOptional(path + ".successIf", successIf),
                failIf, successIf);
    }

    /** @return the thresholds as written, e.g. {@code failIf drop > 20%}; empty when there are none */
    public String describe() {
        StringBuilder text = new StringBuilder();
        if (failText != null) {
            text.append("failIf ").append(failText);
        }
        if (successText != null) {
            text.append(text.length() == 0 ? "" : ", ").append("successIf ").append(successText);
        }
        return text.toString();
    }

    private static Condition parseOptional(final String field, final String text) {
        return text == null || text.isBlank() ? null : ThresholdParser.parse(field, text);
    }

    /** @return whether neither threshold is given */
    public boolean isEmpty() {
        return failIf == null && successIf == null;
    }

    /** @return whether a threshold compares against the baseline */
    public boolean needsBaseline() {
        return usesBaseline(failIf) || usesBaseline(successIf);
    }

    private static boolean usesBaseline(final Condition condition) {
        if (condition instanceof Condition.Change) {
            return true;
        }
        if (condition instanceof Condition.And and) {
            return usesBaseline(and.left()) || usesBaseline(and.right());
        }
        if (condition instanceof Condition.Or or) {
            return usesBaseline(or.left()) || usesBaseline(or.right());
        }
        return false;
    }

    /**
     * Classifies a value.
     *
     * @param value
     *         the measured value
     * @param baseline
     *         the baseline, empty if none was sampled
     * @return empty when the value passes; otherwise the failure (known) or why it is inconclusive (unknown)
     */
    public Judgement judge(final double value, final OptionalDouble baseline) {
        if (failIf != null) {
            Evaluation failed = failIf.evaluate(value, baseline);
            if (failed.isTrue()) {
                return Judgement.FAIL;
            }
            if (!failed.known()) {
                return Judgement.inconclusive(failed.reason());
            }
        }
        if (successIf == null) {
            return Judgement.PASS;
        }
        Evaluation succeeded = successIf.evaluate(value, baseline);
        if (!succeeded.known()) {
            return Judgement.inconclusive(succeeded.reason());
        }
        if (succeeded.isTrue()) {
            return Judgement.PASS;
        }
        return failIf == null ? Judgement.FAIL : Judgement.inconclusive("neither failIf nor successIf is met");
    }

    /**
     * The outcome of {@link #judge(double, OptionalDouble)}.
     *
     * @param verdict
     *         PASS, FAIL or INCONCLUSIVE
     * @param reason
     *         why it is inconclusive, else empty
     */
    public record Judgement(Kind verdict, String reason) {
        static final Judgement PASS = new Judgement(Kind.PASS, "");
        static final Judgement FAIL = new Judgement(Kind.FAIL, "");

        static Judgement inconclusive(final String reason) {
            return new Judgement(Kind.INCONCLUSIVE, reason);
        }

        /** @return the reason, if inconclusive */
        public Optional<String> inconclusiveReason() {
            return verdict == Kind.INCONCLUSIVE ? Optional.of(reason) : Optional.empty();
        }
    }

    /** Kinds of judgement. */
    public enum Kind {
        /** The value is healthy. */
        PASS,
        /** The value trips the thresholds. */
        FAIL,
        /** The thresholds cannot decide. */
        INCONCLUSIVE
    }
}
