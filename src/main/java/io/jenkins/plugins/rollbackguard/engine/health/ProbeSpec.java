package io.jenkins.plugins.rollbackguard.engine.health;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.jenkins.plugins.rollbackguard.engine.health.syntax.Thresholds;
import java.io.Serializable;

/**
 * The configuration of one probe, as read from a policy file ({@code type: http | prometheus | command})
 * or built in code. Implementations are immutable, serialisable records, so they can travel to a Jenkins
 * agent. Turn one into a runnable {@link Probe} with {@code engine.health.probe.ProbeFactory}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = HttpProbeSpec.class, name = "http"),
        @JsonSubTypes.Type(value = PrometheusProbeSpec.class, name = "prometheus"),
        @JsonSubTypes.Type(value = CommandProbeSpec.class, name = "command")
})
public sealed interface ProbeSpec extends Serializable permits HttpProbeSpec, PrometheusProbeSpec, CommandProbeSpec {
    /** @return the probe's name, unique within a policy */
    String name();

    /** @return the failure threshold, or null */
    String failIf();

    /** @return the success threshold, or null */
    String successIf();

    /** @return how the probe is sampled and judged */
    AnalysisSettings analysis();

    /**
     * Tells whether the probe is sampled before the deploy: its thresholds compare with a baseline, or its statistical
     * judge does (unless the sequential judge is given the healthy rate as {@code analysis.allowedRate}).
     *
     * @return whether a baseline is sampled
     */
    default boolean needsBaseline() {
        AnalysisSettings settings = analysis();
        return thresholds().needsBaseline() || settings.judgeKind().isStatistical() && settings.allowedRate() == null;
    }

    /** @return the parsed thresholds; errors name {@code <name>.failIf} or {@code <name>.successIf} */
    default Thresholds thresholds() {
        return Thresholds.parse(name(), failIf(), successIf());
    }

    /**
     * Checks a probe name.
     *
     * @param name
     *         the name
     * @return the name
     * @throws IllegalArgumentException
     *         if it is blank
     */
    static String requireName(final String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: a probe needs a name; give it one, e.g. 'name: checkout'");
        }
        return name;
    }

    /**
     * Checks that a rate probe's {@code analysis.events} and {@code analysis.trials} are JSON pointers (an HTTP
     * probe's answer or a command probe's output is read with them).
     *
     * @param analysis
     *         the probe's analysis
     * @throws IllegalArgumentException
     *         naming the field and value, when one is no JSON pointer, or when a baseline window is given (only a
     *         Prometheus probe reads history)
     */
    static void requirePointers(final AnalysisSettings analysis) {
        if (analysis != null && analysis.baselineWindow() != null) {
            throw new IllegalArgumentException(("analysis.baselineWindow: '%s' reads a baseline from Prometheus' "
                    + "history, and only a Prometheus probe has one; remove it and sample the baseline with "
                    + "analysis.baselineSamples").formatted(analysis.baselineWindow()));
        }
        if (analysis == null || analysis.judgeKind() != io.jenkins.plugins.rollbackguard.engine.health.judge.JudgeKind
                .SEQUENTIAL) {
            return;
        }
        for (String[] field : new String[][] {{"analysis.events", analysis.events()},
                {"analysis.trials", analysis.trials()}}) {
            if (!field[1].startsWith("/")) {
                throw new IllegalArgumentException(("%s: '%s' is not a JSON pointer; write it from the root of the "
                        + "JSON answer, e.g. '/%s'").formatted(field[0], field[1], field[1].replace('.', '/')));
            }
        }
    }

    /**
     * Checks that a required text is present.
     *
     * @param field
     *         the field, for the message
     * @param value
     *         the value
     * @return the value
     * @throws IllegalArgumentException
     *         if it is blank
     */
    static String require(final String field, final String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": is required; give a value");
        }
        return value;
    }
}
