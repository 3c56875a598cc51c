package io.jenkins.plugins.rollbackguard.engine.guard;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettingsBuilder;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/**
 * Lays a host's defaults under the values a policy file gives: each probe's analysis through the same
 * {@link AnalysisSettingsBuilder#hostDefaults} the inline probes use, and the policy's {@code cooldown} and
 * {@code keepGood} ({@link HostDefaults#POLICY_FIELDS}): the policy's value &gt; the host's default &gt; the engine's
 * default. The records fill the engine's defaults as they are built, so what the file left unset is taken from the
 * file's own tree, not from the records.
 */
final class AnalysisLayers {
    private static final List<String> FIELDS = java.util.Arrays.stream(AnalysisSettings.class.getRecordComponents())
            .map(RecordComponent::getName).toList();
    /** The statistical judges' settings: explained only for a probe that uses one (docs/health.md). */
    private static final Set<String> JUDGE_ONLY = Set.of("effect", "alpha", "beta", "allowedRate", "events", "trials",
            "counters", "baselineWindow");

    private final List<Set<String>> given;
    /** The policy-level fields the policy's text gives. */
    private final Set<String> policyGiven;
    private final HostDefaults defaults;

    /**
     * Collects what a policy's text gives.
     *
     * @param tree
     *         the policy's text as a tree
     * @param defaults
     *         the host's defaults
     */
    AnalysisLayers(final JsonNode tree, final HostDefaults defaults) {
        this.given = new ArrayList<>();
        this.policyGiven = new LinkedHashSet<>();
        this.defaults = defaults;
        for (String field : HostDefaults.POLICY_FIELDS) {
            if (tree != null && tree.hasNonNull(field)) {
                policyGiven.add(field);
            }
        }
        for (JsonNode probe : tree == null ? List.<JsonNode>of() : tree.path("probes")) {
            Set<String> fields = new LinkedHashSet<>();
            probe.path("analysis").fields().forEachRemaining(entry -> {
                if (!entry.getValue().isNull()) {
                    fields.add(entry.getKey());
                }
            });
            given.add(fields);
        }
    }

    /**
     * Applies the host's defaults to a policy read from that text and to its probes.
     *
     * @param policy
     *         the policy, built from the text (the engine's defaults filled)
     * @param mapper
     *         the policy mapper, to write the policy with new analysis settings and read it back
     * @return the policy with the host's defaults where it gave no value
     * @throws JsonProcessingException
     *         if the policy cannot be written and read back (it always can: the ledger keeps policies so)
     */
    Policy apply(final Policy policy, final ObjectMapper mapper) throws JsonProcessingException {
        ObjectNode tree = null;
        for (String field : HostDefaults.POLICY_FIELDS) {
            java.util.Optional<Object> host = defaults.policyValue(field);
            if (!policyGiven.contains(field) && host.isPresent()) {
                tree = tree != null ? tree : mapper.valueToTree(policy);
                tree.set(field, mapper.valueToTree(host.get()));
            }
        }
        for (int i = 0; i < policy.probes().size(); i++) {
            AnalysisSettings read = policy.probes().get(i).analysis();
            AnalysisSettings layered = raw(i, read).hostDefaults(defaults.analysis()).build();
            if (!layered.equals(read)) {
                tree = tree != null ? tree : mapper.valueToTree(policy); // every field, without a constructor to track
                ((ObjectNode) tree.get("probes").get(i)).set("analysis", mapper.valueToTree(layered));
            }
        }
        return tree == null ? policy : mapper.treeToValue(tree, Policy.class);
    }

    /**
     * Tells where each effective value of each probe came from.
     *
     * @param policy
     *         the policy with the host's defaults applied
     * @return the explanation
     */
    ExplainedPolicy explain(final Policy policy) {
        List<ExplainedPolicy.Setting> own = new ArrayList<>();
        for (String field : HostDefaults.POLICY_FIELDS) {
            String origin = policyGiven.contains(field) ? ExplainedPolicy.POLICY
                    : defaults.policyValue(field).isPresent() ? defaults.source() : AnalysisDefaults.ENGINE;
            own.add(new ExplainedPolicy.Setting(field, String.valueOf("cooldown".equals(field) ? policy.cooldown()
                    : policy.keepGood()), origin));
        }
        List<ExplainedPolicy.Probe> probes = new ArrayList<>();
        for (int i = 0; i < policy.probes().size(); i++) {
            ProbeSpec probe = policy.probes().get(i);
            Set<String> fromPolicy = given(i);
            Set<String> fromHost = new LinkedHashSet<>(raw(i, probe.analysis()).hostDefaults(defaults.analysis()).given());
            fromHost.removeAll(fromPolicy);
            List<ExplainedPolicy.Setting> settings = new ArrayList<>();
            for (String field : FIELDS) {
                if (JUDGE_ONLY.contains(field) && !probe.analysis().judgeKind().isStatistical()) {
                    continue; // a threshold probe has none: eight lines of "none" would hide what it has
                }
                String origin = fromPolicy.contains(field) ? ExplainedPolicy.POLICY
                        : fromHost.contains(field) ? defaults.source() : AnalysisDefaults.ENGINE;
                settings.add(new ExplainedPolicy.Setting(field, shown(field, value(probe.analysis(), field)), origin));
            }
            probes.add(new ExplainedPolicy.Probe(probe.name(), settings));
        }
        return new ExplainedPolicy(policy, own, probes);
    }

    private Set<String> given(final int probe) {
        return probe < given.size() ? given.get(probe) : Set.of();
    }

    /** @return a builder holding only what the policy gave for the probe */
    private AnalysisSettingsBuilder raw(final int probe, final AnalysisSettings read) {
        return AnalysisSettings.builder().copy(read, given(probe));
    }

    private static Object value(final AnalysisSettings settings, final String field) {
        try {
            return AnalysisSettings.class.getMethod(field).invoke(settings);
        }
        catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("analysis." + field + " cannot be read", e);
        }
    }

    /** @return the value as a policy writes it */
    static String shown(final String field, final Object value) {
        if (value == null || "failureLimit".equals(field) && Integer.valueOf(Integer.MAX_VALUE).equals(value)) {
            return "none";
        }
        if (value instanceof AnalysisSettings.Window window) {
            return window.n() + " of " + window.m();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().toLowerCase(Locale.ROOT);
        }
        return value.toString();
    }
}
