package dev.realtime.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void percentilesInMillisecondsAndReset() {
        LatencyRecorder r = new LatencyRecorder();
        assertThat(r.percentileMillis(99)).isNaN();
        for (int i = 1; i <= 100; i++) {
            r.record(i * 1_000_000L); // 1 … 100 ms
        }
        assertThat(r.count()).isEqualTo(100);
        assertThat(r.percentileMillis(50)).isCloseTo(50, within(0.1));
        assertThat(r.percentileMillis(99)).isCloseTo(99, within(0.1));
        r.record(-5); // a clock step must not throw on the selector thread
        r.reset();
        assertThat(r.count()).isZero();
    }
}
