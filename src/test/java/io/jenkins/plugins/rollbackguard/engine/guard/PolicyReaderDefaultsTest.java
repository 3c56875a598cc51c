package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.health.AnalysisDefaults;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;

/**
 * The precedence of analysis settings for probes read from a policy file (issue 17), the inline probes' rule: the
 * file's value &gt; the host's default (the Jenkins global configuration, the CLI's defaults.yaml) &gt; the engine's.
 */
class PolicyReaderDefaultsTest {
    private static final AnalysisDefaults HOST = new AnalysisDefaults("defaults.yaml (/home/ops/defaults.yaml)",
            "30s", "10m", 2, 7);
    private static final String POLICY = """
            environment: prod
            probes:
              - {type: http, name: bare, url: 'https://shop.example/'}
              - type: http
                name: given
                url: 'https://shop.example/'
                analysis: {interval: 2s, duration: 1m, failureLimit: 3, consecutiveErrorLimit: 1}
              - type: http
                name: windowed
                url: 'https://shop.example/'
                analysis: {window: {n: 3, m: 5}, count: 20}
              - type: command
                name: consecutive
                command: [check]
                analysis: {consecutiveFailureLimit: 2, interval: ~}
            """;

    private static AnalysisSettings analysis(final Policy policy, final int probe) {
        return policy.probes().get(probe).analysis();
    }

    @Test
    void shouldPreferTheFileThenTheHostDefaultThenTheEngineDefault() {
        Policy policy = new PolicyReader(HOST).parse("policy.yaml", POLICY);

        assertThat(analysis(policy, 0)).extracting(AnalysisSettings::interval, AnalysisSettings::duration,
                AnalysisSettings::failureLimit, AnalysisSettings::consecutiveErrorLimit)
                .containsExactly("30s", "10m", 2, 7);
        assertThat(analysis(policy, 1)).extracting(AnalysisSettings::interval, AnalysisSettings::duration,
                AnalysisSettings::failureLimit, AnalysisSettings::consecutiveErrorLimit)
                .containsExactly("2s", "1m", 3, 1);
        assertThat(analysis(policy, 1)).as("what no layer sets is the engine's")
                .extracting(AnalysisSettings::baselineSamples, AnalysisSettings::minSamples).containsExactly(5, 1);
    }

    /** A host's failureLimit would void a window or a consecutive limit; a host's duration would not count. */
    @Test
    void shouldKeepTheHostFailureLimitAwayFromAWindowAndTheHostDurationFromACount() {
        Policy policy = new PolicyReader(HOST).parse("policy.yaml", POLICY);

        assertThat(analysis(policy, 2).failureLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(analysis(policy, 2).duration()).isNull();
        assertThat(analysis(policy, 2).plannedSamples()).isEqualTo(20);
        assertThat(analysis(policy, 2).interval()).isEqualTo("30s");
        assertThat(analysis(policy, 3).failureLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(analysis(policy, 3).interval()).as("'~' is unset, as in the records").isEqualTo("30s");
    }

    @Test
    void shouldGiveAFileProbeTheSameSettingsAsTheSameInlineProbe() {
        Policy policy = new PolicyReader(HOST).parse("policy.json", """
                {"environment": "prod", "probes": [{"type": "http", "name": "w", "url": "https://shop.example/",
                  "analysis": {"window": {"n": 3, "m": 5}, "interval": "1s"}}]}
                """);

        assertThat(analysis(policy, 0)).isEqualTo(AnalysisSettings.builder().window(3, 5).interval("1s")
                .hostDefaults(HOST).build());
    }

    @Test
    void shouldReadAsBeforeWithoutHostDefaults() {
        PolicyReader engineOnly = new PolicyReader();

        assertThat(new PolicyReader(AnalysisDefaults.NONE).parse("policy.yaml", POLICY))
                .isEqualTo(engineOnly.parse("policy.yaml", POLICY));
        assertThat(analysis(engineOnly.parse("policy.yaml", POLICY), 0)).isEqualTo(AnalysisSettings.defaults());
        assertThat(new PolicyReader(new AnalysisDefaults("x", null, null, null, null)).parse("policy.yaml", POLICY))
                .isEqualTo(engineOnly.parse("policy.yaml", POLICY));
    }

    /** The ledger keeps the policy a deploy ran with; read back, it keeps the host's values, whatever reads it. */
    @Test
    void shouldKeepTheHostValuesWhenThePolicyIsWrittenAndReadBack() throws Exception {
        PolicyReader reader = new PolicyReader(HOST);
        Policy policy = reader.parse("policy.yaml", POLICY);

        Policy kept = new PolicyReader().parse("kept", reader.mapper().writeValueAsString(policy));
        Policy keptUnderOtherDefaults = new PolicyReader(new AnalysisDefaults("other", "1s", "1m", 9, 9))
                .parse("kept", reader.mapper().writeValueAsString(policy));

        assertThat(kept).isEqualTo(policy);
        assertThat(keptUnderOtherDefaults).isEqualTo(policy);
        assertThat(policy.environment().value()).isEqualTo("prod");
        assertThat(policy.probes()).extracting(ProbeSpec::name).containsExactly("bare", "given", "windowed", "consecutive");
    }

    @Test
    void shouldTellWhereEachValueCameFrom() {
        ExplainedPolicy explained = new PolicyReader(HOST).explain("policy.yaml", POLICY);

        assertThat(explained.policy()).isEqualTo(new PolicyReader(HOST).parse("policy.yaml", POLICY));
        assertThat(explained.probes()).extracting(ExplainedPolicy.Probe::name)
                .containsExactly("bare", "given", "windowed", "consecutive");
        ExplainedPolicy.Probe bare = explained.probes().get(0);
        assertThat(bare.setting("interval")).isEqualTo(new ExplainedPolicy.Setting("interval", "30s", HOST.source()));
        assertThat(bare.setting("failureLimit").origin()).isEqualTo(HOST.source());
        assertThat(bare.setting("baselineSamples")).isEqualTo(
                new ExplainedPolicy.Setting("baselineSamples", "5", AnalysisDefaults.ENGINE));
        assertThat(bare.settings()).extracting(ExplainedPolicy.Setting::field)
                .containsExactly("interval", "count", "duration", "initialDelay", "failureLimit",
                        "consecutiveFailureLimit", "window", "consecutiveErrorLimit", "inconclusiveLimit", "minSamples",
                        "onError", "onNoData", "dryRun", "baselineSamples");
        ExplainedPolicy.Probe given = explained.probes().get(1);
        assertThat(List.of("interval", "duration", "failureLimit", "consecutiveErrorLimit"))
                .allSatisfy(f -> assertThat(given.setting(f).origin()).isEqualTo(ExplainedPolicy.POLICY));
        ExplainedPolicy.Probe windowed = explained.probes().get(2);
        assertThat(windowed.setting("window")).isEqualTo(new ExplainedPolicy.Setting("window", "3 of 5", "policy"));
        assertThat(windowed.setting("failureLimit"))
                .isEqualTo(new ExplainedPolicy.Setting("failureLimit", "none", AnalysisDefaults.ENGINE));
        assertThat(windowed.setting("duration"))
                .isEqualTo(new ExplainedPolicy.Setting("duration", "none", AnalysisDefaults.ENGINE));
        assertThat(windowed.setting("onError").value()).isEqualTo("inconclusive");
    }

    @Test
    void shouldExplainAPolicyWithoutHostDefaultsAsPolicyAndEngine() {
        ExplainedPolicy explained = new PolicyReader().explain("policy.yaml", POLICY);

        assertThat(explained.probes().get(0).settings()).extracting(ExplainedPolicy.Setting::origin)
                .containsOnly(AnalysisDefaults.ENGINE);
        assertThat(explained.probes().get(1).setting("interval").origin()).isEqualTo(ExplainedPolicy.POLICY);
        assertThat(explained.probes().get(0).setting("interval").value()).isEqualTo("10s");
    }

    /** The line a Jenkins build log shows: which values the global configuration gave, probe by probe. */
    @Test
    void shouldSayWhichValuesTheHostGave() {
        AnalysisDefaults jenkins = new AnalysisDefaults("Jenkins global configuration", "30s", null, 2, null);

        assertThat(new PolicyReader(jenkins).explain("policy.yaml", POLICY).fromHost()).contains(
                "probe 'bare': interval 30s, failureLimit 2 from Jenkins global configuration; probe 'windowed': interval"
                        + " 30s from Jenkins global configuration; probe 'consecutive': interval 30s from Jenkins global"
                        + " configuration");
        assertThat(new PolicyReader().explain("policy.yaml", POLICY).fromHost()).isEmpty();
    }
}
