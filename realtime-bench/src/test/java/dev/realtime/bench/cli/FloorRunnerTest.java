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
    void readsTheFloorsLatency() {
        PublishStep.Result r = FloorRunner.parse("connections=1000 events=500 written=500000 delivered=500000 seconds=5.000"
                + " writer_cpu_us=4125393 reader_cpu_us=4008788 frame_bytes=84 latency_samples=500000 p50_us=4550 p99_us=14310 max_us=19591", 100);
        assertThat(r.p50Ms()).isEqualTo(4.55);
        assertThat(r.p99Ms()).isEqualTo(14.31);
    }

    @Test
    void aStepWithoutItsLatencyKeepsTheRest() {
        PublishStep.Result r = FloorRunner.parse("connections=10000 events=10 written=100000 delivered=100000 seconds=10.000"
                + " writer_cpu_us=1600000 reader_cpu_us=1000000 frame_bytes=84 latency_samples=100000 p50_us=80000 p99_us=190000 max_us=0", 10000)
                .withoutLatency();
        assertThat(r.p50Ms()).isNaN();
        assertThat(r.p99Ms()).isNaN();
        assertThat(r.serverCpuPerMessage()).isEqualTo(16.0);
        assertThat(r.loadCpuPercent()).isEqualTo(10.0);
    }

    @Test
    void noTimedFrameIsNoLatency() {
        PublishStep.Result r = FloorRunner.parse("connections=10 events=0 written=0 delivered=0 seconds=1.000"
                + " writer_cpu_us=10 reader_cpu_us=10 frame_bytes=84 latency_samples=0 p50_us=-1 p99_us=-1 max_us=0", 100);
        assertThat(r.p50Ms()).isNaN();
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
