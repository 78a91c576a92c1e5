package dev.realtime.spi;

import java.util.List;

/**
 * The wire below an {@link OutboundQueue}: a WebSocket for its whole life, or one HTTP response
 * (a stream until the client reopens it, a long-poll for one answer). The queue hands it at most one
 * write at a time, across all the sinks it ever has, in queue order; no method may block.
 *
 * <p>Threading: the queue calls these methods from a writer thread (the queue's write executor),
 * from the thread that completed the previous write, or, for {@link #close} and {@link #abort},
 * from the thread that asked for the close or from the queue's timer. Never two writes at once, and
 * never while the queue holds its lock, so a sink may call back into the queue.
 */
public interface OutboundSink {
    /**
     * Writes {@code frames} in order, each a frame of its own (a WebSocket text message, an SSE
     * event, one element of a long-poll answer), then completes {@code done} exactly once, inline or
     * later on any thread: {@link WriteCompletion#succeeded()}, {@link WriteCompletion#failed} when
     * the wire broke (frames may be lost), or {@link WriteCompletion#notWritten()} when nothing of the
     * batch reached the wire and the session lives on. The list is the queue's, which
     * reuses it once {@code done} completes: read it before completing, don't keep it.
     */
    void write(List<String> frames, WriteCompletion done);

    /**
     * Writes a close frame with {@code code} and {@code reason} after the frames already written, then
     * closes the wire. Called at most once per queue, never during a write of this sink.
     */
    void close(int code, String reason);

    /**
     * Drops the wire now without a close frame: the peer did not take the close within the queue's
     * close timeout. May come during a write that never completes; a sink whose wire is already gone
     * does nothing.
     */
    void abort();
}
