package dev.realtime.server;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body against its {@link Limits} without blocking a thread: chunks are copied as they
 * arrive (never more than the limit: a declared {@code Content-Length} over it is refused before a byte
 * is read) and the reader asks Jetty to call back when more is available. A timer on Jetty's scheduler
 * refuses a body that arrives slower than the minimum rate or later than the timeout, so a client
 * trickling a body cannot hold a request (and its buffer) open.
 */
final class BodyReader implements Runnable {
    /**
     * The time a body gets before the minimum rate applies: clients send it right behind the headers,
     * but a first packet may be delayed.
     */
    static final Duration GRACE = Duration.ofSeconds(1);
    private static final long GRACE_NANOS = GRACE.toNanos();
    private static final long MIN_TIMER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * What one body may cost.
     *
     * @param maxBytes          larger bodies get 413
     * @param minBytesPerSecond after {@link #GRACE}, the body must have arrived at this average rate, or 408; 0 for no minimum
     * @param timeout           the whole body must arrive within this, or 408
     * @param setting           the builder setting of {@code maxBytes}, named in the 413 message
     */
    record Limits(int maxBytes, long minBytesPerSecond, Duration timeout, String setting) {
    }

    private final Request request;
    private final Limits limits;
    private final Scheduler scheduler;
    private final BiConsumer<byte[], HttpError> then;
    private final long start = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();
    private byte[] body;
    private volatile int size;
    private volatile Scheduler.Task timer;

    private BodyReader(Request request, Limits limits, long declared, BiConsumer<byte[], HttpError> then) {
        this.request = request;
        this.limits = limits;
        this.scheduler = request.getComponents().getScheduler();
        this.then = then;
        this.body = new byte[declared >= 0 ? (int) declared : 0];
    }

    /**
     * Reads the body, then calls {@code then} once, with the bytes or with an {@link HttpError}: 413 past
     * {@code maxBytes}, 408 when it arrives too slowly, 400 when it cannot be read. The errors that leave
     * the body unread close the connection. {@code then} may run on a Jetty I/O thread or on the
     * scheduler's thread.
     */
    static void read(Request request, Limits limits, BiConsumer<byte[], HttpError> then) {
        if (!Http.hasBody(request)) {
            then.accept(new byte[0], null);
            return;
        }
        long declared = request.getLength();
        if (declared > limits.maxBytes()) {
            then.accept(null, tooLarge(limits));
            return;
        }
        BodyReader reader = new BodyReader(request, limits, declared, then);
        reader.check();
        reader.run();
    }

    @Override
    public void run() {
        while (!finished.get()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                finish(null, failure instanceof TimeoutException
                        ? new HttpError(408, "the request body did not arrive in time: " + failure.getMessage(), true)
                        : new HttpError(400, "cannot read the request body: " + failure, true));
                return;
            }
            boolean last = chunk.isLast();
            boolean fits = append(chunk.getByteBuffer());
            chunk.release();
            if (!fits) {
                finish(null, tooLarge(limits));
                return;
            }
            if (last) {
                finish(size == body.length ? body : Arrays.copyOf(body, size), null);
                return;
            }
        }
    }

    /** Copies the chunk's bytes; false when they would take the body past its limit. */
    private boolean append(ByteBuffer buffer) {
        int n = buffer.remaining();
        if (n == 0) {
            return true;
        }
        if ((long) size + n > limits.maxBytes()) {
            return false;
        }
        if (size + n > body.length) {
            // a chunked body of unknown length grows by doubling, never past the limit
            body = Arrays.copyOf(body, (int) Math.min(limits.maxBytes(), Math.max(size + n, Math.max(2L * body.length, 1024))));
        }
        buffer.get(body, size, n);
        size += n;
        return true;
    }

    /** On the timer: refuses a late or slow body, or sets the timer for the moment it would become one. */
    private void check() {
        if (finished.get()) {
            return;
        }
        long elapsed = System.nanoTime() - start;
        HttpError late = lateness(elapsed);
        if (late != null) {
            finish(null, late);
            return;
        }
        long next = limits.timeout().toNanos();
        if (limits.minBytesPerSecond() > 0) {
            // the moment the bytes owed at the minimum rate pass what has arrived
            next = Math.min(next, GRACE_NANOS + (long) ((size + 1) * 1e9 / limits.minBytesPerSecond()));
        }
        Scheduler.Task task = scheduler.schedule(this::check, Math.max(next - elapsed, MIN_TIMER_NANOS), TimeUnit.NANOSECONDS);
        timer = task;
        if (finished.get()) {
            task.cancel();
        }
    }

    /** The 408 for a body that, {@code elapsed} ns after the headers, is late or behind the minimum rate; null when it is not. */
    private HttpError lateness(long elapsed) {
        if (elapsed >= limits.timeout().toNanos()) {
            return new HttpError(408, "the request body did not arrive within " + limits.timeout().toMillis()
                    + " ms (RealtimeServer requestBodyTimeout)", true);
        }
        long rate = limits.minBytesPerSecond();
        if (rate > 0 && elapsed > GRACE_NANOS && size < (elapsed - GRACE_NANOS) / 1e9 * rate) {
            return new HttpError(408, "the request body arrives slower than " + rate
                    + " bytes/s (RealtimeServer minRequestBodyRate)", true);
        }
        return null;
    }

    private void finish(byte[] bytes, HttpError error) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        Scheduler.Task task = timer;
        if (task != null) {
            task.cancel();
        }
        then.accept(bytes, error);
    }

    private static HttpError tooLarge(Limits limits) {
        return new HttpError(413, "request body is larger than " + limits.maxBytes() + " bytes (RealtimeServer "
                + limits.setting() + ")", true);
    }
}
