package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.List;

/**
 * A policy as read, with where each effective value a host may default came from, the policy's own
 * ({@code cooldown}, {@code keepGood}) and each probe's analysis: {@code validate --explain} prints it, and a Jenkins
 * host can show it.
 *
 * @param policy
 *         the policy, the host's defaults applied
 * @param settings
 *         the policy-level values a host may default ({@link HostDefaults#POLICY_FIELDS}), in that order
 * @param probes
 *         one entry per probe, in the policy's order
 */
public record ExplainedPolicy(Policy policy, List<Setting> settings, List<Probe> probes) {
    /** Where a value came from when the policy gave it. */
    public static final String POLICY = "policy";

    /** Copies the lists. */
    public ExplainedPolicy {
        settings = List.copyOf(settings);
        probes = List.copyOf(probes);
    }

    /**
     * Finds a policy-level setting.
     *
     * @param field
     *         its name, as in the policy: {@code cooldown} or {@code keepGood}
     * @return the setting
     * @throws IllegalArgumentException
     *         if there is no such setting
     */
    public Setting setting(final String field) {
        return settings.stream().filter(s -> s.field().equals(field)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(field + ": not a setting a host may default"));
    }

    /**
     * Says which values the host's defaults gave, for a build log: {@code cooldown 1h from Jenkins global
     * configuration; probe 'web': interval 30s, duration 10m from Jenkins global configuration}, the policy's own
     * first, then the probes, joined by {@code ; }.
     *
     * @return the line, or empty when neither the policy nor a probe took a host default
     */
    public java.util.Optional<String> fromHost() {
        List<String> parts = new java.util.ArrayList<>();
        List<Setting> own = settings.stream().filter(Setting::fromHost).toList();
        if (!own.isEmpty()) {
            parts.add("%s from %s".formatted(String.join(", ", own.stream().map(s -> s.field() + " " + s.value())
                    .toList()), own.get(0).origin()));
        }
        for (Probe probe : probes) {
            List<Setting> taken = probe.settings().stream().filter(Setting::fromHost).toList();
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
        /** @return whether the host's defaults gave the value: neither the policy nor the engine */
        public boolean fromHost() {
            return !POLICY.equals(origin) && !io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults.ENGINE
                    .equals(origin);
        }
    }
}
