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
