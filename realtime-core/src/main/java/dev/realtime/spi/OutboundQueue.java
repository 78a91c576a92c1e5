package dev.realtime.spi;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The bounded outbound queue of one connection, the pipeline every transport writes through, with
 * adaptive coalescing: at most one write is in flight; frames offered meanwhile wait and then go out
 * together in the next write. There is no timer, so a frame offered to an idle connection is handed
 * to the wire at once, on the write executor (a {@link WriteScheduler} worker, or the offering thread
 * without one).
 *
 * <p><b>Sinks attach and detach.</b> The wire is an {@link OutboundSink}: a WebSocket attaches one
 * for life; an HTTP stream attaches one per response and again when the client reopens it; a
 * long-poll attaches one per request with {@link #attachOnce}, which the queue detaches as it hands
 * it one batch (or the close). Attaching replaces the sink attached before (a write already in flight
 * on the old one completes there; the next goes to the new one). While no sink is attached, frames
 * still queue (bounded: a full queue is a slow consumer), and the <i>detach timeout</i> runs from the
 * moment the queue has neither a sink nor a write in flight: if no sink attaches within it, the queue
 * expires and calls {@code onExpired}. On (re-)attach, the frames waiting go out in order, once; a
 * batch a sink gives back ({@link WriteCompletion#notWritten()}) goes back to the front.
 *
 * <p><b>Close.</b> A close always reaches the wire as a close frame after whole frames: it is not
 * counted against the capacity, and a queue closed after it overflowed (a slow consumer) drops the
 * frames not yet handed to a sink, lets the write in flight finish and then writes the close frame.
 * A close while detached waits for the next sink (which gets the frames waiting, then the close); if
 * none attaches in time (the close timeout, else the detach timeout) the queue expires. A close not
 * taken within the close timeout aborts the wire (the attached sink, else the one writing).
 *
 * <p><b>Ends.</b> The queue ends, queuing and writing nothing more, in one of four ways, each reported
 * once: the transport calls {@link #terminated()} (the wire is gone); a write {@linkplain
 * WriteCompletion#failed fails} ({@code onFailure(cause)}); it expires ({@code onExpired}); or the close
 * timeout aborts the wire ({@link OutboundSink#abort()}).
 *
 * <p>Threading: every public method is safe from any thread, never blocks, and never calls a sink or
 * a callback while holding the queue's lock. Sinks are called as {@link OutboundSink} says; {@code
 * onFailure} runs on the thread that failed the write, {@code onExpired} on the timer's thread.
 */
public final class OutboundQueue {
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    private final Object lock = new Object();
    private final int capacity;
    private final OutboundStats stats;
    private final Executor writer;
    private final ScheduledExecutorService timer;
    private final long closeTimeoutNanos;
    private final long detachTimeoutNanos;
    private final Runnable onExpired;
    private final Consumer<Throwable> onFailure;
    /** The write loop; the flag {@link #writing} keeps two runs from overlapping. */
    private final Writes writes = new Writes();

    /**
     * The largest batch whose list is kept for reuse once written: a connection that keeps up writes
     * a frame or a few at a time, and a fan-out to 1 000 connections at 100 000 deliveries/s then
     * allocates no list per write (a list per write was 30 % of the bytes the server allocated per
     * delivery, async-profiler, BENCHMARKS.md); a larger batch's list goes, so an idle connection
     * holds two small lists at most.
     */
    private static final int REUSE_MAX = 8;

    // Guarded by lock.
    private ArrayList<String> pending = new ArrayList<>(2);
    /** An empty list to take the place of {@link #pending} when a batch is taken, or null. */
    private ArrayList<String> spare;
    /** Frames pending plus frames in flight: what counts against the capacity. */
    private int queued;
    private OutboundSink sink;
    /** Whether {@link #sink} detaches when handed a batch or the close. */
    private boolean once;
    /** Counts attaches and detaches: a detach timeout only acts on the detachment that started it. */
    private int attachments;
    private ScheduledFuture<?> detachTimer;
    private ScheduledFuture<?> closeTimer;
    /** A run of the write loop is scheduled or going on. */
    private boolean writing;
    /** The batch handed to {@link #inFlightSink} and not completed yet, or null. */
    private ArrayList<String> inFlight;
    private OutboundSink inFlightSink;
    private boolean overflowed;
    private int state = OPEN;
    /** The queue ended: the wire is gone, failed, expired or aborted. */
    private boolean ended;
    private int closeCode;
    private String closeReason;

    OutboundQueue(OutboundQueueBuilder b) {
        this.capacity = b.capacity;
        this.stats = b.stats;
        this.writer = b.writer;
        this.timer = b.timer;
        this.closeTimeoutNanos = b.closeTimeout.toNanos();
        this.detachTimeoutNanos = b.detachTimeout.toNanos();
        this.onExpired = b.onExpired;
        this.onFailure = b.onFailure;
    }

    /** Settings for a queue holding at most {@code capacity} frames (waiting or in flight); any thread. */
    public static OutboundQueueBuilder builder(int capacity) {
        return new OutboundQueueBuilder(capacity);
    }

    /**
     * Queues a frame; false when {@code capacity} frames are already waiting or in flight (a slow
     * consumer, attached or not). After a close the frame is dropped and true returned: the
     * connection is going away, not slow. Any thread; never blocks.
     */
    public boolean offer(String frame) {
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
            if (writing || sink == null) {
                return true; // scheduled or in flight (this frame joins the next write), or waiting for a sink
            }
            writing = true;
        }
        writer.execute(writes);
        return true;
    }

    /**
     * Attaches {@code sink} until it is detached or replaced: the frames waiting go to it at once, in
     * order (after the write in flight on a replaced sink, if any), then every frame as it comes.
     * False, and the sink is not used, when the queue has closed or ended. Any thread.
     */
    public boolean attach(OutboundSink sink) {
        return attach(sink, false);
    }

    /**
     * Attaches {@code sink} for one write, as a long-poll response: the queue detaches it as it hands
     * it the next batch (or the close frame, when nothing is left to write). Until then it is attached
     * like any sink; {@link #detach} tells whether it got something. False when the queue has closed
     * or ended. Any thread.
     */
    public boolean attachOnce(OutboundSink sink) {
        return attach(sink, true);
    }

    private boolean attach(OutboundSink s, boolean oneShot) {
        Objects.requireNonNull(s, "sink");
        synchronized (lock) {
            if (state == CLOSED) {
                return false;
            }
            sink = s;
            once = oneShot;
            attachments++;
            if (detachTimer != null) {
                detachTimer.cancel(false);
                detachTimer = null;
            }
            if (!startWritingLocked()) {
                return true;
            }
        }
        writer.execute(writes);
        return true;
    }

    /**
     * Detaches {@code sink} if it is the one attached: it gets no further writes (a write in flight
     * on it completes there), frames queue until the next sink, and the detach timeout starts once no
     * write is in flight. False when it is not attached: replaced, or a one-shot sink already handed a
     * batch or the close (which it must complete). Any thread.
     */
    public boolean detach(OutboundSink sink) {
        synchronized (lock) {
            if (sink == null || this.sink != sink) {
                return false;
            }
            detachLocked();
            return true;
        }
    }

    /**
     * Closes after the frames already queued, or, when the queue overflowed, after the write in flight
     * (the frames still waiting are dropped: the peer is too far behind to want them). The close frame
     * needs no room in the queue; while detached it goes to the next sink. Idempotent; any thread (an
     * idle attached queue writes the close on the calling thread).
     */
    public void close(int code, String reason) {
        OutboundSink closeNow = null;
        boolean start;
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
            state = CLOSING;
            scheduleCloseTimeoutLocked();
            if (!writing && sink != null && pending.isEmpty()) {
                state = CLOSED;
                closeNow = sink;
                if (once) {
                    sink = null;
                }
            }
            start = closeNow == null && startWritingLocked();
        }
        if (closeNow != null) {
            closeNow.close(code, reason);
        } else if (start) {
            writer.execute(writes);
        }
    }

    /**
     * The wire is gone for good (closed by the peer, or the transport ended the session): drop what is
     * queued, write nothing more, call no callback. Idempotent; any thread.
     */
    public void terminated() {
        synchronized (lock) {
            endLocked();
        }
    }

    /** Whether frames are still accepted (no close requested, not ended). Any thread. */
    public boolean isOpen() {
        synchronized (lock) {
            return state == OPEN;
        }
    }

    /** Starts the detach timeout of a queue just built (it has no sink yet). */
    void startDetachTimeout() {
        synchronized (lock) {
            startDetachTimeoutLocked();
        }
    }

    /** Whether a run of the write loop must start: marks it started; the caller executes it. */
    private boolean startWritingLocked() {
        if (writing || sink == null || (pending.isEmpty() && state != CLOSING)) {
            return false;
        }
        writing = true;
        return true;
    }

    private void detachLocked() {
        sink = null;
        once = false;
        attachments++;
        startDetachTimeoutLocked();
    }

    /** Starts the detach timeout if the queue has neither a sink nor a write in flight (and none runs yet). */
    private void startDetachTimeoutLocked() {
        if (sink != null || inFlight != null || detachTimer != null || state == CLOSED || detachTimeoutNanos <= 0) {
            return;
        }
        int attachment = attachments;
        try {
            detachTimer = timer.schedule(() -> expire(attachment), detachTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The transport is stopping: it ends its sessions itself.
        }
    }

    private void expire(int attachment) {
        synchronized (lock) {
            if (ended || sink != null || inFlight != null || attachments != attachment) {
                return; // a sink came (a cancelled timeout may still run)
            }
            endLocked();
        }
        onExpired.run();
    }

    private void scheduleCloseTimeoutLocked() {
        if (timer == null || closeTimeoutNanos <= 0) {
            return;
        }
        try {
            closeTimer = timer.schedule(this::closeTimedOut, closeTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The transport is stopping: the container closes what is left.
        }
    }

    /** The close was not taken in time: drop the wire, or expire when there is none. */
    private void closeTimedOut() {
        OutboundSink wire;
        synchronized (lock) {
            if (ended) {
                return;
            }
            wire = sink != null ? sink : inFlightSink;
            endLocked();
        }
        if (wire != null) {
            wire.abort();
        } else {
            onExpired.run();
        }
    }

    private void endLocked() {
        ended = true;
        state = CLOSED;
        pending = new ArrayList<>(0);
        spare = null;
        queued = 0;
        inFlight = null;
        inFlightSink = null;
        if (detachTimer != null) {
            detachTimer.cancel(false);
            detachTimer = null;
        }
        if (closeTimer != null) {
            closeTimer.cancel(false);
            closeTimer = null;
        }
    }

    private ArrayList<String> takePending() {
        ArrayList<String> batch = pending;
        pending = spare != null ? spare : new ArrayList<>(Math.max(2, Math.min(batch.size(), capacity)));
        spare = null;
        return batch;
    }

    /** A batch written: its list becomes the next {@link #takePending}'s, when small. */
    private void reuseLocked(ArrayList<String> written) {
        if (written.size() <= REUSE_MAX) {
            written.clear();
            spare = written;
        }
    }

    /**
     * The write loop, and the completion of each of its writes (at most one is in flight). A step
     * accounts for the write before it and hands the next batch (or the close) to the sink attached.
     */
    private final class Writes extends AsyncLoop implements WriteCompletion {
        @Override
        protected boolean step() {
            OutboundSink to;
            ArrayList<String> batch = null;
            synchronized (lock) {
                if (inFlight != null) {
                    queued -= inFlight.size(); // the write before succeeded
                    reuseLocked(inFlight);
                    inFlight = null;
                    inFlightSink = null;
                }
                to = sink;
                if (state == CLOSED || to == null) {
                    writing = false;
                    startDetachTimeoutLocked();
                    return false;
                }
                if (!pending.isEmpty()) {
                    batch = takePending();
                    inFlight = batch;
                    inFlightSink = to;
                } else if (state == CLOSING) {
                    state = CLOSED;
                    writing = false;
                } else {
                    writing = false;
                    return false;
                }
                if (once) {
                    detachLocked(); // no timeout yet: a write is in flight (or the queue is closed)
                }
            }
            if (batch == null) {
                to.close(closeCode, closeReason);
                return false;
            }
            if (stats != null) {
                stats.recordWrite(batch.size());
            }
            try {
                to.write(batch, this);
            } catch (RuntimeException e) {
                failed(e);
            }
            return true;
        }

        @Override
        public void succeeded() {
            stepCompleted();
        }

        @Override
        public void failed(Throwable cause) {
            boolean report;
            synchronized (lock) {
                report = !ended;
                endLocked();
            }
            try {
                if (report) {
                    onFailure.accept(cause);
                }
            } finally {
                stepCompleted();
            }
        }

        @Override
        public void notWritten() {
            synchronized (lock) {
                ArrayList<String> batch = inFlight;
                if (batch != null) {
                    ArrayList<String> back = new ArrayList<>(Math.max(batch.size() + pending.size(), 4));
                    back.addAll(batch);
                    back.addAll(pending);
                    pending = back;
                    inFlight = null;
                    if (stats != null) {
                        stats.unrecordWrite(batch.size());
                    }
                    if (sink == inFlightSink) {
                        detachLocked();
                    }
                    inFlightSink = null;
                }
            }
            stepCompleted();
        }
    }
}
