package io.jenkins.plugins.rollbackguard.engine.guard;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.*;

class RevertParametersTest {
    private record Value(String name, String value) {
    }

    @Test
    void shouldKeepTheTargetsValuesAndAddDefaultsOfNewParameters() {
        List<Value> target = List.of(new Value("VERSION", "2.3"), new Value("REGION", "eu"));
        List<Value> defaults = List.of(new Value("REGION", "us"), new Value("CANARY", "false"),
                new Value("VERSION", "9.9"), new Value("SHOP", "main"));

        assertThat(RevertParameters.fill(target, defaults, Value::name)).containsExactly(new Value("VERSION", "2.3"),
                new Value("REGION", "eu"), new Value("CANARY", "false"), new Value("SHOP", "main"));
    }

    @Test
    void shouldUseTheDefaultsForATargetWithoutParameters() {
        List<Value> defaults = List.of(new Value("CANARY", "false"));

        assertThat(RevertParameters.fill(List.of(), defaults, Value::name)).containsExactly(new Value("CANARY", "false"));
        assertThat(RevertParameters.fill(List.of(new Value("A", "1")), List.<Value>of(), Value::name))
                .containsExactly(new Value("A", "1"));
    }
}
