package io.jenkins.plugins.rollbackguard.engine.health.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class EffectTest {
    @Test
    void shouldReadEveryForm() {
        assertThat(Effect.parse("rise > 50%")).isEqualTo(new Effect(Effect.Kind.RISE, 0.5, false));
        assertThat(Effect.parse(" Drop>20% ")).isEqualTo(new Effect(Effect.Kind.DROP, 0.2, false));
        assertThat(Effect.parse("rise > 2pp")).isEqualTo(new Effect(Effect.Kind.RISE, 0.02, true));
        assertThat(Effect.parse("> 5%")).isEqualTo(new Effect(Effect.Kind.ABOVE, 0.05, false));
        assertThat(Effect.parse("rise > 50%").describe()).isEqualTo("rise > 50%");
        assertThat(Effect.parse("> 5%").describe()).isEqualTo("> 5%");
    }

    @Test
    void shouldComputeTheBadRateToDetect() {
        assertThat(Effect.alternativeBadRate(null, 0.002)).isCloseTo(0.012, offset(1e-12)); // +1pp beats 2x
        assertThat(Effect.alternativeBadRate(null, 0.03)).isCloseTo(0.06, offset(1e-12)); // 2x beats +1pp
        assertThat(Effect.alternativeBadRate(Effect.parse("rise > 50%"), 0.02)).isCloseTo(0.03, offset(1e-12));
        assertThat(Effect.alternativeBadRate(Effect.parse("rise > 2pp"), 0.02)).isCloseTo(0.04, offset(1e-12));
        assertThat(Effect.alternativeBadRate(Effect.parse("drop > 20%"), 0.03)).isCloseTo(0.224, offset(1e-12));
        assertThat(Effect.alternativeBadRate(Effect.parse("> 5%"), 0.01)).isEqualTo(0.05);
        assertThat(Effect.alternativeBadRate(null, 0.7)).isCloseTo(0.85, offset(1e-12)); // capped below 1
    }

    @Test
    void shouldNameTheFieldTheValueAndTheFormsOfABadEffect() {
        for (String bad : new String[] {"up 50%", "rise > 0%", "> 120%", "> 5pp", "drop > 100%", ""}) {
            assertThatThrownBy(() -> Effect.parse(bad)).as(bad).hasMessage("analysis.effect: expected 'rise > 50%', "
                    + "'drop > 20%', 'rise > 2pp', 'drop > 5pp' or '> 5%' (a positive amount; a drop or a fixed rate "
                    + "below 100%), got '" + bad + "'");
        }
    }
}
