package io.jenkins.plugins.rollbackguard.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests the class {@link SecretNames}: names pass, values pasted for names are never repeated. */
class SecretNamesTest {
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @ParameterizedTest
    @ValueSource(strings = {"SHOP_TOKEN", "PGPASSWORD_PROD", "db-password", "prod/db/password", "shop.api.token",
        "TOKEN_V2", "k8s", "ec2-deploy-key", "3f2b8c1e-9d4a-4e6b-8f1a-2c3d4e5f6a7b", "github:deploy"})
    void shouldTreatTheseAsNames(final String name) {
        assertThat(SecretNames.check("auth.bearerSecret", name)).isEqualTo(name);
        assertThat(SecretNames.looksLikeName(name)).isTrue();
        assertThat(SecretNames.describe(name)).isEqualTo("'" + name + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tok-Hx7Qz91-secret", "hunter2hunter2", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "eyJhbGciOiJIUzI1NiJ9", "xoxb-1234-ABCDefgh5678", "correcthorsebatterystaple", "AKIAIOSFODNN7EXAMPLE"})
    void shouldNotRepeatValidNamesThatLookLikeValues(final String value) {
        assertThat(SecretNames.looksLikeName(value)).isFalse();
        assertThat(SecretNames.describe(value)).doesNotContain(value).contains(value.length() + "-character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc.def", "p@ss word!", "hunter2\n", "s3cr3t=="})
    void shouldRefuseAValueThatIsNoNameWithoutRepeatingIt(final String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> SecretNames.check("probes[0].auth.bearerSecret", value))
                .withMessageStartingWith("probes[0].auth.bearerSecret: expects the name of a secret")
                .withMessageEndingWith("write bearerSecret: SHOP_TOKEN")
                .withMessageNotContaining(value.strip());
    }

    @Test
    void shouldCheckBothSidesOfASecretEnvironmentEntry() {
        SecretNames.checkVariable("secretEnvironment", "API_TOKEN", "SHOP_TOKEN");

        assertThatIllegalArgumentException().isThrownBy(() -> SecretNames.checkVariable("secretEnvironment", "API TOKEN", "X"))
                .withMessageContaining("'API TOKEN' is not an environment variable name");
        assertThatIllegalArgumentException().isThrownBy(() -> SecretNames.checkVariable("hooks.beforeRevert[0].secretEnvironment",
                        "API_TOKEN", "Bearer xyz-123"))
                .withMessageStartingWith("hooks.beforeRevert[0].secretEnvironment.API_TOKEN: expects the name of a secret")
                .withMessageNotContaining("xyz-123");
        assertThatIllegalArgumentException().isThrownBy(() -> SecretNames.checkVariable("secretEnvironment", "API_TOKEN", ""))
                .withMessageContaining("names no secret");
    }

    /** Random tokens (seeded): long ones and mixed ones are never repeated, whatever their letters. */
    @Test
    void shouldNeverRepeatRandomTokens() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            String token = i % 2 == 0 ? token(random, 17 + random.nextInt(48)) : mixed(random, 8 + random.nextInt(12));
            assertThat(SecretNames.describe(token)).as("seed %d, token %s", seed, token).doesNotContain(token);
        }
    }

    private static String token(final Random random, final int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        return text.toString();
    }

    /** A token with at least one upper-case letter, one lower-case letter and one digit. */
    private static String mixed(final Random random, final int length) {
        String body = token(random, length - 3);
        return body.substring(0, body.length() / 2) + (char) ('A' + random.nextInt(26)) + (char) ('0' + random.nextInt(10))
                + (char) ('a' + random.nextInt(26)) + body.substring(body.length() / 2);
    }
}
