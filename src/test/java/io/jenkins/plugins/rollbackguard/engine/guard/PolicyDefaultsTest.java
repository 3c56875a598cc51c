package io.jenkins.plugins.rollbackguard.engine.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests the class {@link PolicyDefaults}: the engine's cooldown and keepGood and their checks, as the policy has them. */
class PolicyDefaultsTest {
    @Test
    void shouldBeWhatAPolicyWithoutThemGets() {
        Policy bare = new PolicyReader().parse("policy.yaml", "environment: prod\n");

        assertThat(PolicyDefaults.cooldown()).isEqualTo(bare.cooldown()).isEqualTo("15m");
        assertThat(PolicyDefaults.keepGood()).isEqualTo(bare.keepGood()).isEqualTo(5);
    }

    @Test
    void shouldCheckAsThePolicyDoes() {
        assertThat(PolicyDefaults.checkCooldown(" 1h ")).isEmpty();
        assertThat(PolicyDefaults.checkCooldown("soon")).contains("cooldown: expected a digit at position 1 in 'soon'");
        assertThat(PolicyDefaults.checkKeepGood("7")).isEmpty();
        assertThat(PolicyDefaults.checkKeepGood("0")).contains("keepGood: must be at least 1, got 0");
        assertThat(PolicyDefaults.checkKeepGood("five")).contains("keepGood: 'five' is not a whole number; give 1 or more");
        assertThat(PolicyDefaults.checkCooldown("soon")).isEqualTo(refusal("environment: prod\ncooldown: soon\n"));
        assertThat(PolicyDefaults.checkKeepGood("0")).isEqualTo(refusal("environment: prod\nkeepGood: 0\n"));
    }

    private static java.util.Optional<String> refusal(final String policy) {
        try {
            new PolicyReader().parse("p", policy);
            return java.util.Optional.empty();
        }
        catch (PolicyException e) {
            return java.util.Optional.of(e.getMessage().substring("p: ".length()));
        }
    }
}
