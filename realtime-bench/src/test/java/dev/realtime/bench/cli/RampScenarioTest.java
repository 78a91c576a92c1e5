package dev.realtime.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RampScenarioTest {
    @Test
    void theWarmUpComesInRoundsNoLargerThanTheMeasuredRampAndAddsUpToWhatWasAsked() {
        assertThat(RampScenario.warmupRounds(30_000, 10_000)).containsExactly(10_000, 10_000, 10_000);
        assertThat(RampScenario.warmupRounds(25_000, 10_000)).containsExactly(10_000, 10_000, 5_000);
        assertThat(RampScenario.warmupRounds(3_000, 10_000)).containsExactly(3_000);
        assertThat(RampScenario.warmupRounds(0, 10_000)).isEmpty();
    }
}
