package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;

/**
 * The precedence of every field a host may default (issue 17), the same for the policy's {@code cooldown} and
 * {@code keepGood} as for a probe's analysis: the policy's value &gt; the host's default (the Jenkins global
 * configuration, the CLI's defaults.yaml) &gt; the engine's; and {@code explain} names where each came from.
 */
class HostDefaultsTest {
    private static final String SOURCE = "Jenkins global configuration";
    /** A host that defaults every field, each to a value neither the policies below nor the engine use. */
    private static final HostDefaults HOST = new HostDefaults(new AnalysisDefaults(SOURCE, "30s", "10m", 2, 7), "1h", 9);

    @Test
    void shouldDefaultEveryFieldTheTestBelowCovers() {
        assertThat(HostDefaults.FIELDS).containsExactly("interval", "duration", "failureLimit", "consecutiveErrorLimit",
                "cooldown", "keepGood");
        assertThat(HOST.isNone()).isFalse();
        assertThat(HostDefaults.NONE.isNone()).isTrue();
        assertThat(HostDefaults.of(AnalysisDefaults.NONE).isNone()).isTrue();
        assertThat(new HostDefaults(AnalysisDefaults.NONE, null, 3).isNone()).isFalse();
    }

    /** For each field: given in the policy, the policy's; else the host's; else the engine's, in the record too. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "interval              | 2s  | 30s | 10s",
        "duration              | 1m  | 10m | 5m",
        "failureLimit          | 3   | 2   | 0",
        "consecutiveErrorLimit | 1   | 7   | 4",
        "cooldown              | 20m | 1h  | 15m",
        "keepGood              | 8   | 9   | 5"
    })
    void shouldPreferThePolicyThenTheHostThenTheEngine(final String field, final String policy, final String host,
            final String engine) {
        String given = policy(field, policy);
        String unset = policy(field, null);

        assertThat(effective(new PolicyReader(HOST), given, field)).containsExactly(policy, ExplainedPolicy.POLICY);
        assertThat(effective(new PolicyReader(HOST), unset, field)).containsExactly(host, SOURCE);
        assertThat(effective(new PolicyReader(), unset, field)).containsExactly(engine, AnalysisDefaults.ENGINE);
        assertThat(effective(new PolicyReader(HostDefaults.NONE), given, field))
                .containsExactly(policy, ExplainedPolicy.POLICY);
        assertThat(effective(new PolicyReader(HostDefaults.engine()), unset, field))
                .as("the engine's values given as a host's change nothing").containsExactly(engine, AnalysisDefaults.ENGINE);
    }

    @Test
    void shouldTreatANullInThePolicyAsUnsetAndDefaultAJsonPolicyAlike() {
        Policy yaml = new PolicyReader(HOST).parse("policy.yaml", "environment: prod\ncooldown: ~\nkeepGood: 2\n");
        Policy json = new PolicyReader(HOST).parse("policy.json", "{\"environment\": \"prod\", \"cooldown\": \"5m\"}");

        assertThat(yaml).extracting(Policy::cooldown, Policy::keepGood).containsExactly("1h", 2);
        assertThat(json).extracting(Policy::cooldown, Policy::keepGood).containsExactly("5m", 9);
    }

    /** A host without a policy file (a Pipeline step, a freestyle form) takes the same rule. */
    @Test
    void shouldGiveTheSameRuleToAHostWithoutAPolicyFile() {
        assertThat(HOST.cooldown("5m")).isEqualTo("5m");
        assertThat(HOST.cooldown("")).isEqualTo("1h");
        assertThat(HOST.cooldown(null)).isEqualTo("1h");
        assertThat(HostDefaults.NONE.cooldown("")).as("null: the engine's").isNull();
        assertThat(HOST.keepGood(2)).isEqualTo(2);
        assertThat(HOST.keepGood(null)).isEqualTo(9);
        assertThat(HostDefaults.NONE.keepGood(null)).isNull();
        Policy form = new PolicyReader(HOST).parse("form", "{\"environment\": \"prod\"}");
        assertThat(form).extracting(Policy::cooldown, Policy::keepGood)
                .containsExactly(HOST.cooldown(null), HOST.keepGood(null));
    }

    @Test
    void shouldRefuseABadHostValueInThePolicysWords() {
        assertThatThrownBy(() -> new HostDefaults(AnalysisDefaults.NONE, "soon", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cooldown: expected a digit at position 1 in 'soon'");
        assertThatThrownBy(() -> new HostDefaults(AnalysisDefaults.NONE, null, 0))
                .hasMessage("keepGood: must be at least 1, got 0");
        assertThat(new HostDefaults(null, " 2h ", null)).extracting(HostDefaults::cooldown, HostDefaults::analysis)
                .containsExactly("2h", AnalysisDefaults.NONE);
    }

    /** The line a Jenkins build log shows names the policy's values the global configuration gave first. */
    @Test
    void shouldSayWhichPolicyValuesTheHostGave() {
        ExplainedPolicy explained = new PolicyReader(HOST).explain("policy.yaml", """
                environment: prod
                keepGood: 3
                probes:
                  - {type: command, name: check, command: ['true'], analysis: {interval: 1s, duration: 1m, failureLimit: 1}}
                """);

        assertThat(explained.fromHost()).contains("cooldown 1h from Jenkins global configuration; probe 'check':"
                + " consecutiveErrorLimit 7 from Jenkins global configuration");
        assertThat(new PolicyReader(HostDefaults.of(AnalysisDefaults.NONE)).explain("p.yaml", "environment: prod\n")
                .fromHost()).isEmpty();
        assertThatThrownBy(() -> explained.setting("onTrip")).hasMessage("onTrip: not a setting a host may default");
    }

    private static String policy(final String field, final String value) {
        boolean own = HostDefaults.POLICY_FIELDS.contains(field);
        return "environment: prod\n" + (own && value != null ? field + ": " + value + "\n" : "")
                + "probes:\n  - type: command\n    name: check\n    command: ['true']\n"
                + (!own && value != null ? "    analysis: {" + field + ": " + value + "}\n" : "");
    }

    /** @return the effective value as the record holds it and as explain shows it, then its origin */
    private static java.util.List<String> effective(final PolicyReader reader, final String text, final String field) {
        ExplainedPolicy explained = reader.explain("policy.yaml", text);
        boolean own = HostDefaults.POLICY_FIELDS.contains(field);
        ExplainedPolicy.Setting setting = own ? explained.setting(field)
                : explained.probes().get(0).setting(field);
        Object held = own ? ("cooldown".equals(field) ? explained.policy().cooldown() : explained.policy().keepGood())
                : analysisValue(explained.policy().probes().get(0).analysis(), field);
        assertThat(setting.value()).as("explain shows what the record holds").isEqualTo(String.valueOf(held));
        assertThat(reader.parse("policy.yaml", text)).as("read and explained alike").isEqualTo(explained.policy());
        return java.util.List.of(setting.value(), setting.origin());
    }

    private static Object analysisValue(final AnalysisSettings settings, final String field) {
        try {
            return AnalysisSettings.class.getMethod(field).invoke(settings);
        }
        catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError(field, e);
        }
    }
}
