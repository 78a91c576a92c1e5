package dev.realtime.spi;

import java.util.concurrent.atomic.LongAdder;

/**
 * Cheap counters of what one or more {@link OutboundQueue}s wrote (a transport shares one over its
 * connections): how many frames went out and in how many writes. {@code frames / writes} is the
 * coalescing factor. Safe to read from any thread while queues write; the two readings are not
 * taken atomically together.
 */
public final class OutboundStats {
    private final LongAdder writes = new LongAdder();
    private final LongAdder frames = new LongAdder();

    /** Counters at zero; give them to {@link OutboundQueueBuilder#stats}. */
    public OutboundStats() {
    }

    /**
     * Batches handed to sinks (WebSocket on Jetty core: one flush each; Jakarta: one chain of async
     * sends each). A batch a sink gave back with {@link WriteCompletion#notWritten()} counts once, when
     * it is written.
     */
    public long writes() {
        return writes.sum();
    }

    /** Frames handed to sinks (each its own WebSocket text message, SSE event, …). */
    public long frames() {
        return frames.sum();
    }

    void recordWrite(int frameCount) {
        writes.increment();
        frames.add(frameCount);
    }

    void unrecordWrite(int frameCount) {
        writes.decrement();
        frames.add(-frameCount);
    }

    /** The two counters, for logs. */
    @Override
    public String toString() {
        return "OutboundStats[writes=" + writes() + ", frames=" + frames() + "]";
    }
}
