package dev.realtime.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Settings of one {@link OutboundQueue}, from {@link OutboundQueue#builder(int)}. Defaults: writes on
 * the offering thread, no close timeout, no detach timeout (a detached queue waits for a sink as long
 * as it takes), no stats, no callbacks. Not thread-safe: build on one thread, then share the queue.
 */
public final class OutboundQueueBuilder {
    final int capacity;
    OutboundStats stats;
    Executor writer = Runnable::run;
    ScheduledExecutorService timer;
    Duration closeTimeout = Duration.ZERO;
    Duration detachTimeout = Duration.ZERO;
    Runnable onExpired;
    Consumer<Throwable> onFailure = cause -> { };

    OutboundQueueBuilder(int capacity) {
        this.capacity = capacity;
    }

    /** Where the queue counts its writes and frames (shared by a transport's connections). */
    public OutboundQueueBuilder stats(OutboundStats stats) {
        this.stats = Objects.requireNonNull(stats, "stats");
        return this;
    }

    /** Writes on one of {@code scheduler}'s workers (the same one for the queue's life) and times out on its timer. */
    public OutboundQueueBuilder writeScheduler(WriteScheduler scheduler) {
        this.writer = scheduler.assign();
        this.timer = scheduler.timer();
        return this;
    }

    /**
     * Runs the queue's write loop: each time the queue goes from idle to having something to write,
     * it hands {@code executor} one task that writes until the queue is empty or a write goes
     * asynchronous. Never two tasks of one queue at once. Default: on the thread that queued.
     */
    public OutboundQueueBuilder writeExecutor(Executor executor) {
        this.writer = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /** Runs the close and detach timeouts (set by {@link #writeScheduler} too); its tasks must not block. */
    public OutboundQueueBuilder timer(ScheduledExecutorService timer) {
        this.timer = Objects.requireNonNull(timer, "timer");
        return this;
    }

    /**
     * How long a close may take to reach the wire and be taken by the peer (the frames before it, the
     * close frame, the wire reported gone with {@link OutboundQueue#terminated()}); past it the wire
     * is aborted, or, with no sink attached or writing, the queue expires. Needs a timer. Default: none.
     */
    public OutboundQueueBuilder closeTimeout(Duration timeout) {
        this.closeTimeout = timeout;
        return this;
    }

    /**
     * How long the queue may have no sink attached and no write in flight before it expires and calls
     * {@link #onExpired}. Needs a timer and {@code onExpired}. Default: none (for a wire attached for life).
     */
    public OutboundQueueBuilder detachTimeout(Duration timeout) {
        this.detachTimeout = timeout;
        return this;
    }

    /**
     * Runs once, on the timer's thread, when the queue expires: no sink within the detach timeout, or
     * a close with no sink to take it within the close timeout. The transport ends the session as an
     * expired one. Must not block.
     */
    public OutboundQueueBuilder onExpired(Runnable callback) {
        this.onExpired = Objects.requireNonNull(callback, "onExpired");
        return this;
    }

    /**
     * Runs once, on the thread that failed the write, when a write fails ({@link WriteCompletion#failed})
     * before the wire was reported gone; the transport reports {@code cause}. Must not block.
     */
    public OutboundQueueBuilder onFailure(Consumer<Throwable> callback) {
        this.onFailure = Objects.requireNonNull(callback, "onFailure");
        return this;
    }

    /**
     * The queue, with no sink attached yet (its detach timeout, if any, starts now); attach one with
     * {@link OutboundQueue#attach}. Fails with every setting to change when they do not fit together.
     */
    public OutboundQueue build() {
        List<String> problems = new ArrayList<>();
        if (capacity <= 0) {
            problems.add("capacity must be positive, got " + capacity);
        }
        checkTimeout("closeTimeout", closeTimeout, problems);
        checkTimeout("detachTimeout", detachTimeout, problems);
        if (!detachTimeout.isZero() && onExpired == null) {
            problems.add("detachTimeout needs onExpired(…): an expired queue must tell its transport");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("OutboundQueue: " + String.join("; ", problems));
        }
        if (onExpired == null) {
            onExpired = () -> { };
        }
        OutboundQueue queue = new OutboundQueue(this);
        queue.startDetachTimeout();
        return queue;
    }

    private void checkTimeout(String name, Duration timeout, List<String> problems) {
        if (timeout == null || timeout.isNegative()) {
            problems.add(name + " must be zero (none) or positive, got " + timeout);
        } else if (!timeout.isZero() && timer == null) {
            problems.add(name + " " + timeout + " needs a timer: set writeScheduler(…) or timer(…)");
        }
    }
}
