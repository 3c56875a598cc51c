package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.spi.ResolvedSecrets;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/** Tests the class {@link SecretParameters}: secret-looking parameters are masked and warned about, unless public. */
class SecretParametersTest {
    private static final PolicyReader READER = new PolicyReader();

    @ParameterizedTest
    @ValueSource(strings = {"password", "DB_PASSWORD", "api_token", "clientSecret", "ssh_key", "APIKEY", "passwd",
        "aws_credentials"})
    void shouldSeeSecretLookingNames(final String name) {
        assertThat(SecretParameters.secretWord(name)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"version", "region", "replicas", "feature_flags", "user"})
    void shouldLeaveOtherNames(final String name) {
        assertThat(SecretParameters.secretWord(name)).isEmpty();
    }

    @Test
    void shouldRecordTheMaskWarnByNameAndTeachTheMasker() {
        ResolvedSecrets secrets = ResolvedSecrets.of(SecretSource.none());
        List<String> warnings = new ArrayList<>();
        Map<String, String> given = new LinkedHashMap<>();
        given.put("db_password", "hunter2hunter2");
        given.put("keyboard_layout", "de-neo");
        given.put("version", "1.2");

        Map<String, String> recorded = SecretParameters.mask(policy("publicParameters: [KEYBOARD_LAYOUT]"), given,
                secrets, warnings::add);

        assertThat(recorded).containsExactly(Map.entry("db_password", "****"), Map.entry("keyboard_layout", "de-neo"),
                Map.entry("version", "1.2"));
        assertThat(warnings).singleElement().asString().contains("parameter 'db_password' looks secret")
                .contains("publicParameters").doesNotContain("hunter2");
        assertThat(secrets.mask("echo hunter2hunter2")).isEqualTo("echo ****");
    }

    /** A revert records the target's parameters again: those are masked already and need no second warning. */
    @Test
    void shouldNotWarnAboutAValueThatIsTheMaskAlready() {
        List<String> warnings = new ArrayList<>();

        Map<String, String> recorded = SecretParameters.mask(policy(""), Map.of("api_token", "****"),
                ResolvedSecrets.of(SecretSource.none()), warnings::add);

        assertThat(recorded).containsExactly(Map.entry("api_token", "****"));
        assertThat(warnings).isEmpty();
    }

    private static Policy policy(final String extra) {
        return READER.parse("p.yaml", "environment: prod\n" + extra);
    }
}
