package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jenkins.plugins.rollbackguard.engine.spi.GuardListener;
import io.jenkins.plugins.rollbackguard.engine.spi.LocalCommandRunner;
import io.jenkins.plugins.rollbackguard.engine.spi.ResolvedSecrets;
import io.jenkins.plugins.rollbackguard.engine.spi.SecretSource;

/**
 * Tests the class {@link HookRunner} with real processes: a hook's output is masked with its own secrets and with
 * every other secret of the run (it inherits the host's environment, so it can print a probe's token).
 */
class HookRunnerTest {
    private static final String PROBE_TOKEN = "probe-T0k3n-9xQ2";
    private static final String HOOK_TOKEN = "hook-S3cr3t-Zz81";

    @Test
    void shouldMaskTheRunsSecretsAndItsOwnInHookOutput() {
        ResolvedSecrets secrets = ResolvedSecrets.of(SecretSource.of(Map.of("SHOP_TOKEN", PROBE_TOKEN, "SYNC", HOOK_TOKEN)));
        secrets.require("SHOP_TOKEN", "probes[0].auth.bearerSecret"); // resolved by the run's preflight
        Timeline timeline = new Timeline(Instant::now, GuardListener.silent());
        HookRunner hooks = new HookRunner(secrets.runner(new LocalCommandRunner()), secrets, timeline);
        HooksSpec.HookCommand hook = new HooksSpec.HookCommand("sync", List.of("sh", "-c",
                "echo \"curl -H 'Authorization: Bearer $1'\"; echo \"{\\\"token\\\":\\\"$T\\\"}\"; exit 4", "sh", PROBE_TOKEN),
                "10s", Map.of("T", "SYNC"));

        String failure = hooks.run("beforeRevert", List.of(hook), Map.of());

        assertThat(failure).isEqualTo("beforeRevert hook 'sync' failed: exit code 4");
        assertThat(timeline.entries()).singleElement().extracting(Timeline.Entry::message).asString()
                .isEqualTo("beforeRevert hook 'sync': exit code 4 | curl -H 'Authorization: Bearer ****' / {\"token\":\"****\"}");
    }

    @Test
    void shouldNameTheFieldOfAMissingHookSecret() {
        ResolvedSecrets secrets = ResolvedSecrets.of(SecretSource.none());
        Timeline timeline = new Timeline(Instant::now, GuardListener.silent());
        HooksSpec.HookCommand hook = new HooksSpec.HookCommand("sync", List.of("true"), null, Map.of("T", "SYNC_TOKEN"));

        String failure = new HookRunner(new LocalCommandRunner(), secrets, timeline).run("afterRevert", List.of(hook), Map.of());

        assertThat(failure).startsWith("afterRevert hook 'sync' could not start: "
                + "hooks.afterRevert[0].secretEnvironment.T: no secret named 'SYNC_TOKEN' is available");
    }
}
