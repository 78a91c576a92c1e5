package dev.realtime.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Lets a client read an answer given before its body was read (401, 404, 413, 429 with
 * {@code Connection: close}): closing a socket with unread bytes in it makes the kernel send a reset,
 * which can destroy the answer before the client reads it (a publisher with a wrong secret would see
 * "connection reset" instead of its 401). So, once such an answer is written, the rest of the body is
 * read and thrown away for a short while, as nginx's lingering close does, and only then the connection
 * is closed. Nothing is kept, and the wait is short: it stops when the body ends, after
 * {@link #IDLE} without a byte (a trickle), or after {@link #MAX} in all. A 408 (the body was too slow
 * already) closes at once.
 */
final class LingeringClose extends Handler.Wrapper {
    /** The longest a connection lingers after its answer. */
    static final Duration MAX = Duration.ofSeconds(2);
    /** A lingering connection is closed after this long without a byte. */
    static final Duration IDLE = Duration.ofMillis(500);

    LingeringClose(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!Http.hasBody(request)) {
            return super.handle(request, response, callback);
        }
        return super.handle(request, response, Callback.from(() -> {
            if (closesWithBodyUnread(response)) {
                new Drain(request, callback).run();
            } else {
                callback.succeeded();
            }
        }, callback::failed));
    }

    private static boolean closesWithBodyUnread(Response response) {
        return "close".equalsIgnoreCase(response.getHeaders().get(HttpHeader.CONNECTION)) && response.getStatus() != 408;
    }

    /** Reads and releases what is left of the body, then completes the request (Jetty closes the connection). */
    private static final class Drain implements Runnable {
        private final Request request;
        private final Callback callback;
        private final Scheduler scheduler;
        private final long start = System.nanoTime();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile long lastData = start;

        Drain(Request request, Callback callback) {
            this.request = request;
            this.callback = callback;
            this.scheduler = request.getComponents().getScheduler();
            scheduler.schedule(this::check, IDLE.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            while (!done.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
                chunk.release();
                lastData = System.nanoTime();
                if (end) {
                    finish();
                    return;
                }
            }
        }

        private void check() {
            if (done.get()) {
                return;
            }
            long now = System.nanoTime();
            long idleLeft = lastData + IDLE.toNanos() - now;
            long maxLeft = start + MAX.toNanos() - now;
            if (idleLeft <= 0 || maxLeft <= 0) {
                finish();
            } else {
                scheduler.schedule(this::check, Math.min(idleLeft, maxLeft), TimeUnit.NANOSECONDS);
            }
        }

        private void finish() {
            if (done.compareAndSet(false, true)) {
                callback.succeeded();
            }
        }
    }
}
