package dev.realtime.bench.ws;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One measured step of a fan-out benchmark: publish at a fixed event rate for some seconds (round-robin
 * over the channels), let the deliveries land (2 s at most, so a saturated server shows as a shortfall),
 * and read the delivered frames, the latency and the CPU of the server and of the load generator itself.
 */
public final class PublishStep {
    private static final long DRAIN_NANOS = 2_000_000_000L;

    /** Where the step reads the server's CPU (microseconds so far; -1 when unknown, e.g. a remote URL). */
    @FunctionalInterface
    public interface CpuMeter {
        long cpuMicros() throws Exception;
    }

    /** What a step measured. */
    public record Result(int eventsPerSecond, long published, long expected, long delivered, double seconds,
                         double p50Ms, double p99Ms, long serverCpuMicros, long loadCpuMicros, long otherCpuMicros) {
        public double deliveredPerSecond() {
            return delivered / seconds;
        }

        /** Server CPU per delivered message in µs, NaN when nothing was delivered or the CPU is unknown. */
        public double serverCpuPerMessage() {
            return delivered == 0 || serverCpuMicros < 0 ? Double.NaN : serverCpuMicros / (double) delivered;
        }

        public double serverCpuPercent() {
            return serverCpuMicros < 0 ? Double.NaN : serverCpuMicros / (seconds * 1e4);
        }

        /** What every other process on the machine used, as a share of one core: the noise in this step. */
        public double otherCpuPercent() {
            return otherCpuMicros < 0 ? Double.NaN : otherCpuMicros / (seconds * 1e4);
        }

        /** The load generator's CPU as a share of one core (the JVM's every thread, GC included). */
        public double loadCpuPercent() {
            return loadCpuMicros < 0 ? Double.NaN : loadCpuMicros / (seconds * 1e4);
        }

        /** The same step without its latency figures (for a measure that timed something else). */
        public Result withoutLatency() {
            return new Result(eventsPerSecond, published, expected, delivered, seconds, Double.NaN, Double.NaN, serverCpuMicros,
                    loadCpuMicros, otherCpuMicros);
        }
    }

    private PublishStep() {
    }

    /**
     * Publishes {@code eventsPerSecond × seconds} events; {@code frames} counts deliveries, each event is
     * expected {@code deliveriesPerEvent} times. {@code progress} hears a line about once a second.
     */
    public static Result run(HttpPublisher publisher, List<String> channels, int eventsPerSecond, int seconds,
                             long deliveriesPerEvent, java.util.function.LongSupplier frames, LatencyRecorder latency,
                             CpuMeter server, Consumer<String> progress) throws Exception {
        latency.reset();
        long frames0 = frames.getAsLong();
        long cpu0 = server.cpuMicros();
        long self0 = ProcStat.selfCpuMicros();
        long machine0 = ProcStat.machineBusyMicros();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / eventsPerSecond;
        long total = (long) eventsPerSecond * seconds;
        long nextReport = start + 1_000_000_000L;
        long framesAtReport = frames0;
        for (long i = 0; i < total; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            publisher.publish(channels.get((int) (i % channels.size())));
            if (System.nanoTime() >= nextReport) {
                long f = frames.getAsLong();
                progress.accept(String.format(java.util.Locale.ROOT, "%d events/s: %,d delivered in the last second, %d/%d s",
                        eventsPerSecond, f - framesAtReport, (System.nanoTime() - start) / 1_000_000_000L, seconds));
                framesAtReport = f;
                nextReport += 1_000_000_000L;
            }
        }
        long publishEnd = System.nanoTime();
        long expected = total * deliveriesPerEvent;
        long drainDeadline = publishEnd + DRAIN_NANOS;
        while (frames.getAsLong() - frames0 < expected && System.nanoTime() < drainDeadline) {
            Thread.sleep(10);
        }
        // the last event goes out one interval before the step's end: without this floor a fast drain
        // would divide the step's deliveries by less than its length
        long elapsed = Math.max(System.nanoTime() - start, Math.max(publishEnd - start, total * interval));
        long delivered = frames.getAsLong() - frames0;
        long cpu1 = server.cpuMicros();
        long self = ProcStat.selfCpuMicros() - self0;
        long machine = ProcStat.machineBusyMicros() - machine0;
        long serverCpu = cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0;
        return new Result(eventsPerSecond, total, expected, delivered, elapsed / 1e9, latency.percentileMillis(50),
                latency.percentileMillis(99), serverCpu, self, serverCpu < 0 ? -1 : Math.max(0, machine - serverCpu - self));
    }
}
