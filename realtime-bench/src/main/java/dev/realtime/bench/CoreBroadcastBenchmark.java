package dev.realtime.bench;

import dev.realtime.Realtime;
import dev.realtime.testing.InMemoryTransport;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One broadcast to N in-memory subscribers of one channel, through the whole core path: payload
 * serialisation, frame building (once), fan-out over the subscriber array, each connection's
 * transport send. The sink only counts, so the figure is the core's cost per delivery.
 * Score unit: broadcasts per second; deliveries per second = score × subscribers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CoreBroadcastBenchmark {
    @Param({"1000", "10000"})
    public int subscribers;

    private Realtime realtime;
    private final Map<String, Object> payload = Map.of("text", "hello, world", "user", 42);
    /** Written by the sinks on the benchmark thread only; read at teardown to prove deliveries happened. */
    long delivered;

    @Setup(Level.Trial)
    public void setup() {
        InMemoryTransport memory = new InMemoryTransport();
        realtime = Realtime.builder().app("bench", "bench-key", "bench-secret").transport(memory).build();
        for (int i = 0; i < subscribers; i++) {
            InMemoryTransport.Socket s = memory.connectSink(frame -> delivered++);
            s.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"room\"}}");
        }
        delivered = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (delivered == 0) {
            throw new IllegalStateException("no delivery happened: the benchmark measured nothing");
        }
        realtime.close();
    }

    /** One broadcast: {@code subscribers} deliveries. */
    @Benchmark
    public void broadcast() {
        realtime.broadcast("room", "message.sent", payload);
    }

    /** The same with pre-serialised String data, as the HTTP API passes it. */
    @Benchmark
    public void broadcastRawString() {
        realtime.broadcast("room", "message.sent", "{\"text\":\"hello, world\",\"user\":42}");
    }
}
