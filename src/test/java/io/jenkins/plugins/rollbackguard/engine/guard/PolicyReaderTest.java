package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jenkins.plugins.rollbackguard.engine.backup.FilesBackupSpec;
import io.jenkins.plugins.rollbackguard.engine.health.HttpProbeSpec;

/** Tests the class {@link PolicyReader}: one schema in YAML and JSON, defaults, errors naming the field. */
class PolicyReaderTest {
    private static final String YAML = """
            environment: production
            probes:
              - type: http
                name: checkout
                url: https://shop.example/api/stats
                jsonPointer: /error_rate
                failIf: "> 5%"
            backups:
              - type: files
                path: /srv/shop/uploads
            onTrip: freeze
            cooldown: 30m
            dataVersion: {command: [cat, /srv/shop/SCHEMA_VERSION]}
            hooks:
              beforeRevert: [{name: pause-sync, command: [systemctl, stop, stock-sync]}]
            notifications: [{url: "https://hooks.example/T1", events: [TRIP, FREEZE]}]
            """;

    @Test
    void shouldReadYamlWithDefaults() {
        Policy policy = new PolicyReader().parse("p.yaml", YAML);

        assertThat(policy.environment().value()).isEqualTo("production");
        assertThat(policy.probes()).singleElement().isInstanceOfSatisfying(HttpProbeSpec.class,
                p -> assertThat(p.failIf()).isEqualTo("> 5%"));
        assertThat(policy.backups()).singleElement().isInstanceOf(FilesBackupSpec.class);
        assertThat(policy.onTrip()).isEqualTo(Policy.OnTrip.FREEZE);
        assertThat(policy.onInconclusive()).isEqualTo(Policy.OnInconclusive.HOLD);
        assertThat(policy.keepGood()).isEqualTo(5);
        assertThat(policy.cooldownDuration().toMinutes()).isEqualTo(30);
        assertThat(policy.hooks().beforeRevert()).singleElement().extracting(HooksSpec.HookCommand::name).isEqualTo("pause-sync");
        assertThat(policy.notifications()).singleElement().extracting(NotificationSpec::eventList)
                .asList().containsExactly(GuardEvent.Type.TRIP, GuardEvent.Type.FREEZE);
    }

    @Test
    void shouldReadTheSamePolicyFromJsonItWrote() throws Exception {
        PolicyReader reader = new PolicyReader();
        Policy yaml = reader.parse("p.yaml", YAML);
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                reader.mapper().convertValue(yaml, Object.class));

        assertThat(reader.parse("p.json", json)).isEqualTo(yaml);
    }

    /** A YAML error quotes the line it found: that line may hold a token pasted where its name belongs. */
    @org.junit.jupiter.api.Test
    void shouldNotQuoteTheLinesOfABrokenFile() {
        String yaml = "environment: prod\nprobes:\n  - {type: http, name: a, url: 'http://x', auth: {bearerSecret: \"tok-Hx7Qz91\"}\n";

        assertThatThrownBy(() -> new PolicyReader().parse("bad.yaml", yaml)).isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("bad.yaml: ").hasMessageContaining("(line 3, column").hasMessageNotContaining("tok-Hx7Qz91");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "environment: prod\\nonTrpi: rollback|onTrpi",
        "environment: prod\\nkeepGood: five|keepGood",
        "environment: prod\\nprobes: [{type: http, name: a, url: 'http://x'}, {type: http, name: a, url: 'http://y'}]|probes[1].name: 'a' is used twice",
        "environment: prod\\nnotifications: [{url: 'file:///etc/passwd'}]|notifications[0]",
        "environment: prod\\ndataVersion: {value: V1, command: [x]}|dataVersion: give either",
        "environment: prod\\nhooks: {beforeRevert: [{name: h}]}|hooks",
        "environment: 'prod|not valid YAML or JSON",
        "environment: [prod]|environment: expected an environment name",
    })
    void shouldNameTheFieldOfEachError(final String yaml, final String expected) {
        assertThatThrownBy(() -> new PolicyReader().parse("bad.yaml", yaml.replace("\\n", "\n")))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("bad.yaml: ").hasMessageContaining(expected);
    }
}
