package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.List;

/**
 * A policy as read, with where each effective analysis value of each probe came from: {@code validate --explain}
 * prints it, and a Jenkins host can show it.
 *
 * @param policy
 *         the policy, the host's defaults applied
 * @param probes
 *         one entry per probe, in the policy's order
 */
public record ExplainedPolicy(Policy policy, List<Probe> probes) {
    /** Where a value came from when the policy gave it. */
    public static final String POLICY = "policy";

    /** Copies the list. */
    public ExplainedPolicy {
        probes = List.copyOf(probes);
    }

    /**
     * Says which values the host's defaults gave, for a build log: {@code probe 'web': interval 30s, duration 10m from
     * Jenkins global configuration}, the probes joined by {@code ; }.
     *
     * @return the line, or empty when no probe took a host default
     */
    public java.util.Optional<String> fromHost() {
        List<String> parts = new java.util.ArrayList<>();
        for (Probe probe : probes) {
            List<Setting> taken = probe.settings().stream().filter(s -> !POLICY.equals(s.origin())
                    && !io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults.ENGINE.equals(s.origin())).toList();
            if (!taken.isEmpty()) {
                parts.add("probe '%s': %s from %s".formatted(probe.name(), String.join(", ", taken.stream()
                        .map(s -> s.field() + " " + s.value()).toList()), taken.get(0).origin()));
            }
        }
        return parts.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join("; ", parts));
    }

    /**
     * The effective analysis of one probe.
     *
     * @param name
     *         the probe's name
     * @param settings
     *         every analysis setting, in the order of a policy's {@code analysis:}
     */
    public record Probe(String name, List<Setting> settings) {
        /** Copies the list. */
        public Probe {
            settings = List.copyOf(settings);
        }

        /**
         * Finds a setting.
         *
         * @param field
         *         its name, as in {@code analysis:}
         * @return the setting
         * @throws IllegalArgumentException
         *         if there is no such setting
         */
        public Setting setting(final String field) {
            return settings.stream().filter(s -> s.field().equals(field)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("analysis." + field + ": no such setting"));
        }
    }

    /**
     * One effective value.
     *
     * @param field
     *         the setting's name, as in {@code analysis:}
     * @param value
     *         the value as a policy writes it ({@code 30s}, {@code 3 of 5}), or {@code none}
     * @param origin
     *         {@value ExplainedPolicy#POLICY}, the host defaults' source ({@code defaults.yaml (/path)}, {@code Jenkins
     *         global configuration}) or {@code engine default}
     */
    public record Setting(String field, String value, String origin) {
    }
}
