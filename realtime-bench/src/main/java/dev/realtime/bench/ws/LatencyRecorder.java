package dev.realtime.bench.ws;

import java.util.Arrays;

/** Latency samples in nanoseconds, recorded by one thread, read between steps. */
final class LatencyRecorder {
    private long[] samples = new long[1 << 16];
    private int count;

    synchronized void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[count++] = nanos;
    }

    synchronized void reset() {
        count = 0;
    }

    /** The {@code p}-th percentile (0-100) in milliseconds, or NaN without samples. */
    synchronized double percentileMillis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(p / 100.0 * count) - 1));
        return sorted[index] / 1e6;
    }

    synchronized int count() {
        return count;
    }
}
