package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.health.Analysis;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisSettings;
import io.jenkins.plugins.rollbackguard.engine.health.AnalysisState;
import io.jenkins.plugins.rollbackguard.engine.health.Baseline;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.Measurement;
import io.jenkins.plugins.rollbackguard.engine.health.Outcome;
import io.jenkins.plugins.rollbackguard.engine.health.ProbeSpec;
import io.jenkins.plugins.rollbackguard.engine.health.VerdictStatus;

/**
 * The engine twin of WithRollbackGuardInlineAnalysisITest and FreestyleInlineProbeITest (issue 17): an inline probe
 * with {@code failureLimit: 1} and a window is the same probe as the policy file's, and so judges the same sample
 * sequence the same way. The inline side is built as {@code HttpGuardProbe.toSpec} builds it (the given values, null
 * for every unset one, no Jenkins global default), which the glue cannot be run for here; the file side is read by the
 * CLI's reader. Both Jenkins hosts translate the probe with that one code ({@code InlinePolicy.probes}, checked by
 * InlineProbeHostsConventionTest); what the freestyle step adds is its policy without a file, built as
 * {@code PolicyLoader.formOnly} builds it (the form's fields read by the same reader, with the global cooldown and
 * keepGood as its host defaults), and {@link Policy#withProbes}, which lays the inline probes over a policy.
 */
class InlineProbeTwinTest {
    private static final Instant T0 = Instant.parse("2026-12-02T18:00:00Z");
    private static final String POLICY = """
            environment: prod
            probes:
              - type: http
                name: page-load
                url: https://shop.example.com/
                timeout: 10s
                failIf: "> 800"
                analysis: {interval: 10s, count: 30, failureLimit: 1, window: {n: 3, m: 5}}
            """;

    /** As {@code http(name: 'page-load', url: ..., timeout: '10s', failIf: '> 800', interval: '10s', count: 30,
     * failureLimit: 1, window: '3 of 5')} becomes a spec: the given values, null for the others. */
    private static HttpProbeSpec inline(final Integer failureLimit) {
        AnalysisSettings analysis = new AnalysisSettings("10s", 30, null, null, failureLimit, null,
                new AnalysisSettings.Window(3, 5), null, null, null, null, null, null, null);
        return new HttpProbeSpec("page-load", "https://shop.example.com/", null, null, null, null, null, null, null,
                "10s", null, null, "> 800", null, analysis);
    }

    @Test
    void shouldBuildTheSameProbeInlineAsThePolicyFile() {
        ProbeSpec fromFile = new PolicyReader().parse("policy.yaml", POLICY).probes().get(0);

        assertThat(inline(1)).isEqualTo(fromFile);
        assertThat(inline(null)).as("failureLimit left unset is another probe").isNotEqualTo(fromFile);
    }

    @Test
    void shouldGuardAFreestyleFormWithoutPolicyFileAsThePolicyFileDoes() {
        Policy fromFile = new PolicyReader().parse("policy.yaml", POLICY);
        // PolicyLoader.formOnly: the form's environment, read with the global defaults (here the engine's own)
        Policy form = new PolicyReader(HostDefaults.engine()).parse("the step \"Record rollback point\"",
                "{\"environment\":\"prod\"}");

        Policy freestyle = form.withProbes(List.of(inline(1)));

        assertThat(freestyle).isEqualTo(fromFile);
        assertThat(form.withProbes(List.of(inline(null)))).as("failureLimit left unset is another policy")
                .isNotEqualTo(fromFile);
    }

    @Test
    void shouldReplaceThePolicyFilesProbesByTheInlineOnesAndKeepTheRest() {
        Policy file = new PolicyReader().parse("policy.yaml", """
                environment: prod
                probes:
                  - {type: http, name: home, url: https://shop.example.com/}
                  - {type: command, name: queue, command: [./queue-depth], failIf: "> 100"}
                backups:
                  - {type: files, path: /srv/shop}
                cooldown: 20m
                """);

        Policy overlaid = file.withProbes(List.of(inline(1)));

        assertThat(overlaid.probes()).containsExactly(inline(1));
        assertThat(overlaid.backups()).isEqualTo(file.backups());
        assertThat(overlaid.cooldown()).isEqualTo("20m");
        assertThat(overlaid).isEqualTo(new PolicyReader().parse("policy.yaml", """
                environment: prod
                probes:
                  - type: http
                    name: page-load
                    url: https://shop.example.com/
                    timeout: 10s
                    failIf: "> 800"
                    analysis: {interval: 10s, count: 30, failureLimit: 1, window: {n: 3, m: 5}}
                backups:
                  - {type: files, path: /srv/shop}
                cooldown: 20m
                """));
    }

    @Test
    void shouldRefuseTwoInlineProbesOfOneNameAsThePolicyFileDoes() {
        Policy file = new PolicyReader().parse("policy.yaml", POLICY);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> file.withProbes(List.of(inline(1), inline(null))))
                .hasMessage("probes[1].name: 'page-load' is used twice; probe names must be unique");
    }

    @Test
    void shouldNameTheFieldOfABadInlineValueAsDocsUiMdQuotesIt() {
        // what HttpGuardProbe.analysis builds for failureLimit -1; docs/ui.md quotes the sentence
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AnalysisSettings.builder().failureLimit(-1).build())
                .hasMessage("analysis.failureLimit: must be 0 or more, got -1");
    }

    @Test
    void shouldJudgeTheSameSamplesTheSameWayInlineAndFromTheFile() {
        ProbeSpec fromFile = new PolicyReader().parse("policy.yaml", POLICY).probes().get(0);
        double[] latencies = {900, 200, 950, 210, 220}; // two slow pages of five: over failureLimit 1, not 3 of 5

        List<AnalysisState> file = judge(fromFile, latencies);
        List<AnalysisState> inline = judge(inline(1), latencies);
        List<AnalysisState> windowOnly = judge(inline(null), latencies);

        assertThat(inline).isEqualTo(file);
        assertThat(file.get(2).verdict()).hasValueSatisfying(
                verdict -> assertThat(verdict.status()).isEqualTo(VerdictStatus.FAILED));
        assertThat(file).hasSize(3); // the watch ends at the trip
        assertThat(windowOnly).as("without failureLimit the window alone decides: 2 of 5 does not trip")
                .hasSize(latencies.length).noneMatch(AnalysisState::isFinal);
    }

    @Test
    void shouldReadTheInlineWindowTextAsTheFileWindowOrNameTheField() {
        assertThat(AnalysisSettings.Window.parse(" 3 of 5 ")).isEqualTo(new AnalysisSettings.Window(3, 5));
        assertThat(AnalysisSettings.Window.parse("3/5")).isEqualTo(new AnalysisSettings.Window(3, 5));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AnalysisSettings.Window.parse("three of five"))
                .hasMessage("analysis.window: expected 'n of m' such as '3 of 5' (fail when 3 of the last 5 samples "
                        + "failed), got 'three of five'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AnalysisSettings.Window.parse("5 of 3"))
                .hasMessage("analysis.window: need 1 <= n <= m, got n=5, m=3");
    }

    /** @return the states after each sample, up to the first final one */
    private static List<AnalysisState> judge(final ProbeSpec spec, final double[] latencies) {
        Analysis analysis = Analysis.of(spec, Baseline.none("-"));
        List<AnalysisState> states = new ArrayList<>();
        for (int i = 0; i < latencies.length; i++) {
            AnalysisState state = analysis.record(Measurement.of(T0.plusSeconds(10L * i), latencies[i],
                    Outcome.SUCCESS, "status 200"));
            states.add(state);
            if (state.isFinal()) {
                break;
            }
        }
        return states;
    }
}
