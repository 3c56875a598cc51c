package io.jenkins.plugins.rollbackguard.engine.health.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CounterDeltasTest {
    @Test
    void shouldCountTheDifferenceBetweenReadingsAndStartOnTheFirst() {
        CounterDeltas deltas = new CounterDeltas();
        assertThat(deltas.next(5, 1000)).isEmpty();
        assertThat(deltas.next(7, 1100).orElseThrow()).isEqualTo(
                new CounterDeltas.Delta(new RateCounts(2, 100), false, ""));
    }

    @Test
    void shouldRestartFromTheNewValueWhenACounterIsReset() {
        // recorded: the deploy restarted the process between the second and third readings
        CounterDeltas deltas = new CounterDeltas();
        deltas.next(40, 9000);
        deltas.next(41, 9100);
        CounterDeltas.Delta reset = deltas.next(3, 60).orElseThrow();
        assertThat(reset.counts()).isEqualTo(new RateCounts(3, 60));
        assertThat(reset.reset()).isTrue();
        assertThat(reset.note()).contains("counter reset");
        assertThat(deltas.next(4, 150).orElseThrow().counts()).isEqualTo(new RateCounts(1, 90));
    }

    @Test
    void shouldTreatOneCounterGoingDownAsAResetOfBoth() {
        CounterDeltas deltas = new CounterDeltas();
        deltas.next(10, 500);
        CounterDeltas.Delta delta = deltas.next(12, 20).orElseThrow();
        assertThat(delta.reset()).isTrue();
        assertThat(delta.counts()).isEqualTo(new RateCounts(12, 20));
    }

    @Test
    void shouldNeverCountMoreEventsThanTrialsFromTwoScrapes() {
        CounterDeltas deltas = new CounterDeltas();
        deltas.next(10, 100);
        assertThat(deltas.next(13, 102).orElseThrow().counts()).isEqualTo(new RateCounts(3, 3));
    }

    @Test
    void shouldRefuseAReadingThatIsNoCounter() {
        CounterDeltas deltas = new CounterDeltas();
        assertThatThrownBy(() -> deltas.next(Double.NaN, 3)).hasMessageContaining("events NaN");
        assertThatThrownBy(() -> deltas.next(1, -3)).hasMessageContaining("trials -3.0");
    }
}
