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
                .withMessage("backups[0].passwordSecret: no secret named 'MISSING' is available; define it (an environment "
                        + "variable for the command line, a credentials id in Jenkins) or correct the name");
        assertThat(source.require("TOKEN", "auth.bearerSecret").toString()).doesNotContain("t0k");
    }

    /** A token pasted where its name belongs is a valid name by syntax, but the error must not repeat it. */
    @Test
    void shouldNotRepeatANameThatLooksLikeASecretValue() {
        String pasted = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";

        assertThatIllegalArgumentException().isThrownBy(() -> source.require(pasted, "probes[0].auth.bearerSecret"))
                .withMessage("probes[0].auth.bearerSecret: expects the name of a secret, and no secret has the name given, "
                        + "which looks like a secret value (40 characters, not shown); set SHOP_TOKEN=... (or a credentials "
                        + "id in Jenkins) and write bearerSecret: SHOP_TOKEN")
                .withMessageNotContaining("16C7e42F");
    }
}
