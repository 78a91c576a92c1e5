package dev.realtime.websocket;

import java.util.concurrent.atomic.LongAdder;

/**
 * Cheap counters of what a transport wrote, summed over its connections: how many frames went
 * out and in how many writes. {@code frames / writes} is the coalescing factor.
 */
public final class OutboundStats {
    private final LongAdder writes = new LongAdder();
    private final LongAdder frames = new LongAdder();

    /** Batches handed to the wire (Jetty core: one flush each; Jakarta: one chain of async sends each). */
    public long writes() {
        return writes.sum();
    }

    /** Frames handed to the wire (each its own WebSocket text message). */
    public long frames() {
        return frames.sum();
    }

    void recordWrite(int frameCount) {
        writes.increment();
        frames.add(frameCount);
    }

    @Override
    public String toString() {
        return "OutboundStats[writes=" + writes() + ", frames=" + frames() + "]";
    }
}
