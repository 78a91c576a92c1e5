package dev.realtime.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realtime.bench.ws.PublishStep;
import org.junit.jupiter.api.Test;

class FloorRunnerTest {
    @Test
    void readsTheFloorsLine() {
        PublishStep.Result r = FloorRunner.parse(
                "connections=1000 events=200 written=200000 delivered=199000 seconds=2.000 writer_cpu_us=600000 frame_bytes=84", 100);
        assertThat(r.delivered()).isEqualTo(199_000);
        assertThat(r.deliveredPerSecond()).isEqualTo(99_500.0);
        assertThat(r.serverCpuPerMessage()).isCloseTo(3.015, org.assertj.core.api.Assertions.within(0.001));
        assertThat(r.loadCpuPercent()).isNaN();
        assertThat(r.p99Ms()).isNaN();
    }

    @Test
    void theReaderIsTheLoadSide() {
        PublishStep.Result r = FloorRunner.parse(
                "connections=10 events=100 written=1000 delivered=1000 seconds=1.000 writer_cpu_us=5000 reader_cpu_us=250000 frame_bytes=84", 100);
        assertThat(r.loadCpuPercent()).isEqualTo(25.0);
    }

    @Test
    void aLineWithoutTheFiguresIsAnError() {
        assertThatThrownBy(() -> FloorRunner.parse("socketpair: Too many open files", 100))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventsPerSecondFromDeliveries() {
        assertThat(FanoutScenario.eventsPerSecond(100_000, 1000)).isEqualTo(100);
        assertThat(FanoutScenario.eventsPerSecond(10_000, 10_000)).isEqualTo(1);
        assertThat(FanoutScenario.eventsPerSecond(100, 1000)).isEqualTo(1); // never 0 events/s
    }
}
