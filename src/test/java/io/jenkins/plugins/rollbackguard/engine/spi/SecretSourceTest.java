package io.jenkins.plugins.rollbackguard.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests the interface {@link SecretSource}. */
class SecretSourceTest {
    private final SecretSource source = SecretSource.of(Map.of("DB_PASSWORD", "hunter2", "TOKEN", "t0k"));

    @Test
    void shouldRevealOnlyTheNamedSecretsThatExist() {
        assertThat(source.reveal(List.of("DB_PASSWORD", "MISSING"))).containsExactly(Map.entry("DB_PASSWORD", "hunter2"));
        assertThat(source.reveal(List.of())).isEmpty();
    }

    @Test
    void shouldNameTheFieldButNeverAValueWhenARequiredSecretIsMissing() {
        assertThatIllegalArgumentException().isThrownBy(() -> source.require("MISSING", "backups[0].passwordSecret"))
                .withMessage("backups[0].passwordSecret: no secret named 'MISSING' is available");
        assertThat(source.require("TOKEN", "auth.bearerSecret").toString()).doesNotContain("t0k");
    }
}
