package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jenkins.plugins.rollbackguard.engine.spi.ResolvedSecrets;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/** Tests the class {@link PolicySecrets} and how a policy names secrets: every field found, no value echoed. */
class PolicySecretsTest {
    private static final String POLICY = """
            environment: prod
            probes:
              - {type: http, name: api, url: 'http://127.0.0.1:1/stats', auth: {bearerSecret: SHOP_TOKEN}}
              - {type: http, name: admin, url: 'http://127.0.0.1:1/admin', auth: {username: prober, passwordSecret: ADMIN_PASSWORD}}
              - {type: command, name: c, command: [true], secretEnvironment: {API_KEY: PROBE_KEY}}
            backups:
              - {type: postgres, host: 127.0.0.1, database: shop, user: app, passwordSecret: PG_PASSWORD}
              - {type: mysql, host: 127.0.0.1, database: shop, user: app, passwordSecret: MYSQL_PASSWORD}
            notifications: [{url: 'http://127.0.0.1:1/hook', tokenSecret: HOOK_TOKEN}]
            hooks:
              beforeRevert: [{name: pause, command: [true], secretEnvironment: {SYNC_TOKEN: SYNC_TOKEN}}]
            deploySecretEnvironment: {DEPLOY_TOKEN: DEPLOY_TOKEN}
            publicParameters: [keyboard]
            """;

    @Test
    void shouldFindEverySecretAPolicyNames() {
        Policy policy = new PolicyReader().parse("p.yaml", POLICY);

        assertThat(PolicySecrets.names(policy)).containsExactly(
                Map.entry("probes[0].auth.bearerSecret", "SHOP_TOKEN"),
                Map.entry("probes[1].auth.passwordSecret", "ADMIN_PASSWORD"),
                Map.entry("probes[2].secretEnvironment.API_KEY", "PROBE_KEY"),
                Map.entry("backups[0].passwordSecret", "PG_PASSWORD"),
                Map.entry("backups[1].passwordSecret", "MYSQL_PASSWORD"),
                Map.entry("notifications[0].tokenSecret", "HOOK_TOKEN"),
                Map.entry("hooks.beforeRevert[0].secretEnvironment.SYNC_TOKEN", "SYNC_TOKEN"),
                Map.entry("deploySecretEnvironment.DEPLOY_TOKEN", "DEPLOY_TOKEN"));
        assertThat(policy.isPublicParameter("KEYBOARD")).isTrue();
    }

    @Test
    void shouldResolveThemAllOrNameTheFirstMissingField() {
        Policy policy = new PolicyReader().parse("p.yaml", POLICY);
        Map<String, String> values = new java.util.HashMap<>(Map.of("SHOP_TOKEN", "t-1", "ADMIN_PASSWORD", "a-1",
                "PROBE_KEY", "k-1", "PG_PASSWORD", "p-1", "MYSQL_PASSWORD", "m-1", "HOOK_TOKEN", "h-1",
                "SYNC_TOKEN", "s-1"));
        ResolvedSecrets partial = ResolvedSecrets.of(SecretSource.of(values));

        assertThatIllegalArgumentException().isThrownBy(() -> PolicySecrets.require(policy, partial))
                .withMessageStartingWith("deploySecretEnvironment.DEPLOY_TOKEN: no secret named 'DEPLOY_TOKEN'");
        values.put("DEPLOY_TOKEN", "d-1");
        ResolvedSecrets all = ResolvedSecrets.of(SecretSource.of(values));
        assertThat(PolicySecrets.require(policy, all)).hasSize(8);
        assertThat(all.mask("t-1 a-1 k-1 p-1 m-1 h-1 s-1 d-1")).isEqualTo("**** **** **** **** **** **** **** ****");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "probes: [{type: http, name: a, url: 'http://x', auth: {bearerSecret: 'Bearer eyJhbGci.OiJIUz'}}]|probes[0].auth: bearerSecret: expects the name of a secret|eyJhbGci",
        "probes: [{type: http, name: a, url: 'http://x', auth: {username: u, passwordSecret: 'hunter 2'}}]|passwordSecret: expects the name of a secret|hunter 2",
        "notifications: [{url: 'http://x', tokenSecret: 'xoxb 1234'}]|tokenSecret: expects the name of a secret|xoxb 1234",
        "hooks: {beforeRevert: [{command: [x], secretEnvironment: {T: 'p@ss!'}}]}|secretEnvironment.T: expects the name of a secret|p@ss!",
        "deploySecretEnvironment: {T: 'a b c'}|deploySecretEnvironment.T: expects the name of a secret|a b c",
        "probes: [{type: command, name: c, command: [x], secretEnvironment: {T: 's3cr3t!'}}]|secretEnvironment.T: expects the name of a secret|s3cr3t!",
        "publicParameters: ['']|publicParameters[0]: is empty|nothing",
    })
    void shouldRefuseAValueWhereANameBelongsWithoutRepeatingIt(final String yaml, final String expected,
                                                               final String value) {
        assertThatThrownBy(() -> new PolicyReader().parse("bad.yaml", "environment: prod\n" + yaml))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("bad.yaml: ").hasMessageContaining(expected)
                .hasMessageNotContaining(value);
    }
}
