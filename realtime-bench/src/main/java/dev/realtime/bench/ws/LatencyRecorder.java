package dev.realtime.bench.ws;

import org.HdrHistogram.Histogram;

/**
 * Publish-to-receive latency in an HdrHistogram (nanoseconds, 3 significant digits, up to 10 minutes),
 * recorded by the load generator's selector thread, read between steps.
 */
public final class LatencyRecorder {
    private static final long HIGHEST = 600_000_000_000L;
    private final Histogram histogram = new Histogram(HIGHEST, 3);

    public synchronized void record(long nanos) {
        // a clock step or a wrong sample must not throw from the selector thread
        histogram.recordValue(Math.max(0, Math.min(nanos, HIGHEST)));
    }

    public synchronized void reset() {
        histogram.reset();
    }

    /** The {@code p}-th percentile (0-100) in milliseconds, or NaN without samples. */
    public synchronized double percentileMillis(double p) {
        if (histogram.getTotalCount() == 0) {
            return Double.NaN;
        }
        return histogram.getValueAtPercentile(p) / 1e6;
    }

    public synchronized long count() {
        return histogram.getTotalCount();
    }
}
