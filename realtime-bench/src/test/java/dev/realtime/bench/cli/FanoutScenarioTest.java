package dev.realtime.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FanoutScenarioTest {
    @Test
    void theHttpApiWarmUpLastsAsManySecondsAsItsPublishesTakeAtTwoThousandASecondAndNoneWhenOff() {
        assertThat(FanoutScenario.apiWarmupSeconds(20_000)).isEqualTo(10);
        assertThat(FanoutScenario.apiWarmupSeconds(20_001)).isEqualTo(11);
        assertThat(FanoutScenario.apiWarmupSeconds(1)).isEqualTo(1);
        assertThat(FanoutScenario.apiWarmupSeconds(0)).isZero();
        assertThat(FanoutScenario.apiWarmupSeconds(-5)).isZero();
    }

    @Test
    void theWarmUpRunsAtTheAskedRateUnlessEveryStepIsSlower() {
        assertThat(FanoutScenario.warmupRate(100_000, java.util.List.of(25_000, 50_000, 100_000, 800_000))).isEqualTo(100_000);
        assertThat(FanoutScenario.warmupRate(100_000, java.util.List.of(10_000, 30_000))).isEqualTo(30_000);
        assertThat(FanoutScenario.warmupRate(100_000, java.util.List.of(5_000))).isEqualTo(5_000);
    }

    @Test
    void eventsPerSecondRoundsToWholeEventsAndNeverStopsPublishing() {
        assertThat(FanoutScenario.eventsPerSecond(100_000, 1_000)).isEqualTo(100);
        assertThat(FanoutScenario.eventsPerSecond(25_000, 10_000)).isEqualTo(3);
        assertThat(FanoutScenario.eventsPerSecond(10, 1_000)).isEqualTo(1);
    }

    @Test
    void interleavedStepsTakeEachRateOnEveryTargetInTurnAndDropATargetWhoseStepSaysItIsOver() {
        java.util.List<String> order = new java.util.ArrayList<>();
        FanoutScenario.interleave(java.util.List.of("ours", "soketi", "floor"), java.util.List.of(1, 2, 3), 1, (target, rate) -> {
            order.add(target + "@" + rate);
            return !(target.equals("soketi") && rate == 2); // soketi saturated twice by its second step
        });
        assertThat(order).containsExactly("ours@1", "soketi@1", "floor@1", "ours@2", "soketi@2", "floor@2", "ours@3", "floor@3");
    }

    @Test
    void repeatedStepsComeInTurnTooAndATargetSaturatedTwiceAtOneRateStops() {
        java.util.List<String> order = new java.util.ArrayList<>();
        int[] soketiSteps = {0};
        FanoutScenario.interleave(java.util.List.of("ours", "soketi"), java.util.List.of(1, 2), 2, (target, rate) -> {
            order.add(target + "@" + rate);
            return !(target.equals("soketi") && ++soketiSteps[0] == 2);
        });
        assertThat(order).containsExactly("ours@1", "soketi@1", "ours@1", "soketi@1", "ours@2", "ours@2");
    }

    @Test
    void targetsRunInTurnOnlyWhenAllTheirSubscribersFitTheOpenFileLimit() {
        assertThat(FanoutScenario.fitsOpenFiles(3, 1_000, 20_000)).isTrue();
        assertThat(FanoutScenario.fitsOpenFiles(3, 10_000, 20_000)).as("three servers x 10 000 at ulimit 20 000").isFalse();
        assertThat(FanoutScenario.fitsOpenFiles(1, 10_000, 20_000)).isTrue();
        assertThat(FanoutScenario.fitsOpenFiles(2, 10_000, 20_000)).as("the margin for publishers and the JVM's files").isFalse();
        assertThat(FanoutScenario.fitsOpenFiles(3, 10_000, 100_000)).isTrue();
        assertThat(FanoutScenario.fitsOpenFiles(3, 10_000, -1)).as("limit unknown").isTrue();
    }
}
