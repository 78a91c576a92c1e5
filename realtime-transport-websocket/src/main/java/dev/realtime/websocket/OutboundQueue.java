package dev.realtime.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The bounded outbound queue of one connection, written with adaptive coalescing: at most one
 * write is in flight; frames offered meanwhile wait and then go out together in the next write.
 * There is no timer, so a frame offered to an idle connection is handed to the wire at once, on
 * the scheduler's thread (or the offering thread without one). {@link #offer} never blocks and is
 * safe from any thread.
 *
 * <p>A close always reaches the wire as a close frame after whole frames: the close is not counted
 * against the capacity, and a queue closed because it overflowed (a slow consumer) drops the frames
 * not yet handed to the wire, lets the write in flight finish and then writes the close frame. A peer
 * that still reads gets every frame whole, then the close code (4100 tells pusher-js to back off);
 * only a peer that reads nothing for the close timeout is dropped without one.
 */
final class OutboundQueue {
    /** The wire below the queue. Neither method may block. */
    interface Sink {
        /** Writes {@code frames} in order, each its own text message, then completes {@code done} exactly once. */
        void write(List<String> frames, WriteCompletion done);

        /** Writes a close frame after the frames already written, then closes the wire; called once. */
        void close(int code, String reason);

        /** Drops the wire now, without a close frame (the peer did not read it within the close timeout). */
        void abort();
    }

    /** Completes one {@link Sink#write}. */
    interface WriteCompletion {
        void succeeded();

        void failed(Throwable cause);
    }

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    private final Object lock = new Object();
    private final int capacity;
    private final Sink sink;
    private final OutboundStats stats;
    private final Consumer<OutboundQueue> scheduler;
    private final ScheduledExecutorService timer;
    private final long closeTimeoutNanos;
    private List<String> pending = new ArrayList<>();
    /** Frames pending plus frames in flight: what counts against the capacity. */
    private int queued;
    private boolean writing;
    private boolean overflowed;
    private int state = OPEN;
    private int closeCode;
    private String closeReason;
    /** Set when the wire is gone: a pending abort has nothing left to do. */
    private volatile boolean terminated;

    /** A queue that writes on the offering thread, with no close timeout (for tests and callers without a scheduler). */
    OutboundQueue(int capacity, Sink sink, OutboundStats stats) {
        this(capacity, sink, stats, OutboundQueue::flush, null, Duration.ZERO);
    }

    /**
     * A queue whose writes run wherever {@code scheduler} runs {@link #flush()} (a {@link WriteScheduler}
     * worker); after a close, {@code timer} aborts the wire if it is not gone within {@code closeTimeout}
     * (no timer: the container's idle timeout is the only bound).
     */
    OutboundQueue(int capacity, Sink sink, OutboundStats stats, Consumer<OutboundQueue> scheduler,
                  ScheduledExecutorService timer, Duration closeTimeout) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.sink = sink;
        this.stats = stats;
        this.scheduler = scheduler;
        this.timer = timer;
        this.closeTimeoutNanos = closeTimeout.toNanos();
    }

    /**
     * Queues a frame; false when {@code capacity} frames are already waiting or in flight. After a
     * close the frame is dropped and true returned: the connection is going away, not slow.
     */
    boolean offer(String frame) {
        synchronized (lock) {
            if (state != OPEN) {
                return true;
            }
            if (queued >= capacity) {
                overflowed = true;
                return false;
            }
            pending.add(frame);
            queued++;
            if (writing) {
                return true; // scheduled or in flight: this frame joins the next write
            }
            writing = true;
        }
        scheduler.accept(this);
        return true;
    }

    /** Writes every frame queued so far (called by the scheduler once per {@link #offer} that found the queue idle). */
    void flush() {
        List<String> batch;
        boolean closeNow = false;
        synchronized (lock) {
            if (state == CLOSED) {
                writing = false;
                return;
            }
            if (pending.isEmpty()) {
                writing = false;
                if (state == CLOSING) {
                    state = CLOSED;
                    closeNow = true;
                }
                batch = null;
            } else {
                batch = takePending();
            }
        }
        if (closeNow) {
            sink.close(closeCode, closeReason);
        } else if (batch != null) {
            writeLoop(batch);
        }
    }

    /**
     * Closes after the frames already queued, or, when the queue overflowed, after the write in flight
     * (the frames still waiting are dropped: the peer is too far behind to want them). The close frame
     * needs no room in the queue. Idempotent.
     */
    void close(int code, String reason) {
        boolean closeNow;
        synchronized (lock) {
            if (state != OPEN) {
                return;
            }
            closeCode = code;
            closeReason = reason;
            if (overflowed) {
                queued -= pending.size();
                pending = new ArrayList<>(0);
            }
            // A write in flight (or a flush scheduled) closes once the queue is drained.
            closeNow = !writing;
            state = closeNow ? CLOSED : CLOSING;
        }
        scheduleAbort();
        if (closeNow) {
            sink.close(code, reason);
        }
    }

    /** Drops the wire if the peer has not taken the close within the close timeout. */
    private void scheduleAbort() {
        if (timer == null || closeTimeoutNanos <= 0) {
            return;
        }
        try {
            timer.schedule(() -> {
                if (!terminated) {
                    synchronized (lock) {
                        state = CLOSED;
                        pending = List.of();
                    }
                    sink.abort();
                }
            }, closeTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The transport is stopping: the container closes what is left.
        }
    }

    /** The wire is gone (closed by the peer or failed): drop what is queued, write nothing more. */
    void terminated() {
        terminated = true;
        synchronized (lock) {
            state = CLOSED;
            pending = List.of();
        }
    }

    /** Whether frames are still accepted (no close requested, wire not gone). */
    boolean isOpen() {
        synchronized (lock) {
            return state == OPEN;
        }
    }

    private List<String> takePending() {
        List<String> batch = pending;
        pending = new ArrayList<>(Math.min(batch.size() * 2, capacity));
        return batch;
    }

    /**
     * Writes batches until the queue is empty or a write goes asynchronous; the completion of an
     * asynchronous write continues the loop on its own thread. Looping here instead of recursing
     * keeps the stack flat when the sink completes writes synchronously.
     */
    private void writeLoop(List<String> batch) {
        while (batch != null) {
            Write write = new Write(batch.size());
            stats.recordWrite(batch.size());
            try {
                sink.write(batch, write);
            } catch (RuntimeException e) {
                write.failed(e);
            }
            if (write.state.compareAndSet(Write.RUNNING, Write.RETURNED)) {
                return;
            }
            batch = write.next;
        }
    }

    /** Called when a write finished: the next batch to write, or null (and then maybe the deferred close). */
    private List<String> afterWrite(int written) {
        boolean closeNow = false;
        synchronized (lock) {
            queued -= written;
            if (state == CLOSED) {
                writing = false;
                return null;
            }
            if (!pending.isEmpty()) {
                return takePending();
            }
            writing = false;
            if (state == CLOSING) {
                state = CLOSED;
                closeNow = true;
            }
        }
        if (closeNow) {
            sink.close(closeCode, closeReason);
        }
        return null;
    }

    /** One write in flight; tells its completion whether the writing thread already returned. */
    private final class Write implements WriteCompletion {
        static final int RUNNING = 0;
        static final int COMPLETED_INLINE = 1;
        static final int RETURNED = 2;

        final AtomicInteger state = new AtomicInteger(RUNNING);
        final int size;
        List<String> next;

        Write(int size) {
            this.size = size;
        }

        @Override
        public void succeeded() {
            next = afterWrite(size);
            if (!state.compareAndSet(RUNNING, COMPLETED_INLINE)) {
                writeLoop(next);
            }
        }

        @Override
        public void failed(Throwable cause) {
            // The wire is broken; the container reports the close to the session on its own.
            terminated();
            synchronized (lock) {
                writing = false;
            }
            next = null;
            state.compareAndSet(RUNNING, COMPLETED_INLINE);
        }
    }
}
