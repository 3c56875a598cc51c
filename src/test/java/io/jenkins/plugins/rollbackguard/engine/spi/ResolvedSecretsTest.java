package io.jenkins.plugins.rollbackguard.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Tests the class {@link ResolvedSecrets}: one masker for every secret a run resolved, applied to real processes. */
class ResolvedSecretsTest {
    private static final String TOKEN = "tok-Hx7Qz91-9d2Kq";

    @Test
    void shouldMaskOnlyWhatWasResolved() {
        ResolvedSecrets secrets = ResolvedSecrets.of(SecretSource.of(Map.of("SHOP_TOKEN", TOKEN, "OTHER", "other-value")));

        assertThat(secrets.mask(TOKEN)).isEqualTo(TOKEN);
        assertThat(secrets.find("SHOP_TOKEN")).isPresent();
        assertThat(secrets.find("MISSING")).isEmpty();

        assertThat(secrets.mask("Bearer " + TOKEN + " other-value")).isEqualTo("Bearer **** other-value");
        assertThat(secrets.count()).isEqualTo(1);
        assertThat(ResolvedSecrets.of(secrets)).isSameAs(secrets);
    }

    /** A process that was given no secret but inherited one (as hooks and deploy commands do) is masked too. */
    @Test
    void shouldMaskTheOutputOfAProcessThatWasNotGivenTheSecret() {
        ResolvedSecrets secrets = ResolvedSecrets.of(SecretSource.of(Map.of("SHOP_TOKEN", TOKEN)));
        secrets.require("SHOP_TOKEN", "auth.bearerSecret");
        CommandRunner runner = secrets.runner(new LocalCommandRunner());

        CommandResult result = runner.run(CommandRequest.of(Duration.ofSeconds(30), "sh", "-c",
                "echo \"Authorization: Bearer $0\"; printf %s \"$0\" | base64 >&2; exit 3", TOKEN));

        assertThat(result.stdout()).isEqualTo("Authorization: Bearer ****\n");
        assertThat(result.stderr()).doesNotContain(base64(TOKEN)).contains(Secret.MASK);
        assertThat(result.summary()).doesNotContain(TOKEN);
        assertThat(secrets.runner(runner)).isSameAs(runner);
    }

    private static String base64(final String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void shouldMaskListenerLinesAndAddedValues() {
        ResolvedSecrets secrets = ResolvedSecrets.of(SecretSource.none());
        List<String> lines = new ArrayList<>();
        GuardListener listener = secrets.listener(new GuardListener() {
            @Override
            public void info(final String line) {
                lines.add(line);
            }

            @Override
            public void error(final String line) {
                lines.add("ERROR " + line);
            }
        });

        secrets.add(Secret.of("hunter2hunter2"));
        listener.info("db_password=hunter2hunter2");
        listener.error(base64("hunter2hunter2") + " refused");

        assertThat(lines).hasSize(2).startsWith("db_password=****");
        assertThat(lines.get(1)).startsWith("ERROR ****").endsWith(" refused").doesNotContain(base64("hunter2hunter2"));
        assertThat(secrets.listener(listener)).isSameAs(listener);
    }
}
