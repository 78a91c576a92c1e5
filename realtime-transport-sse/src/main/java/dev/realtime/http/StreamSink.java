package dev.realtime.http;

import dev.realtime.spi.OutboundSink;
import dev.realtime.spi.WriteCompletion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A streaming response as the sink of a session's queue: each batch becomes one piece of the response
 * ({@code a[...]}, {@code data:} events), with a heartbeat when it has been silent for the heartbeat
 * interval. Its own writes (the preamble, heartbeats) and the queue's batches go to the response one
 * at a time: a batch that comes while a heartbeat is being written waits for it.
 *
 * <p>With a character limit (pusher-js's 256 KB), once it has written more than the limit it writes
 * nothing more and detaches, but keeps the response open: the client has read every byte of it and
 * opens the next stream, which gets the frames that waited. Anything else that ends the response (the
 * client gone, a failed write) ends the session: neither pusher-js nor EventSource resumes a session
 * whose stream broke.
 */
final class StreamSink implements OutboundSink {
    private final HttpSession session;
    private final HttpExchange exchange;
    private final Framing framing;
    private final long maxChars;
    private final long heartbeatNanos;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();

    // Guarded by lock.
    /** A write on the response is in flight. */
    private boolean busy;
    /** A batch of the queue's (or the close) waiting for the write in flight. */
    private String waiting;
    private WriteCompletion waitingDone;
    private boolean waitingIsClose;
    /** Nothing more is written: the limit was passed, the close is written, or the response is gone. */
    private boolean finished;
    /** Finished because the limit was passed: the client opens the next stream. */
    private boolean cut;
    /** Why the response is gone (the client, the server stopping), or null. */
    private Throwable gone;
    /** Finished because another stream of the session replaced this one: it ends without ending the session. */
    private boolean replaced;
    private long chars;
    private long lastWrite = System.nanoTime();
    private ScheduledFuture<?> heartbeat;

    StreamSink(HttpSession session, HttpExchange exchange, Framing framing, long maxChars, Duration heartbeatInterval,
               ScheduledExecutorService timer) {
        this.session = session;
        this.exchange = exchange;
        this.framing = framing;
        this.maxChars = maxChars;
        this.heartbeatNanos = heartbeatInterval.toNanos();
        this.timer = timer;
    }

    /** Commits the response with {@code preamble} and starts the heartbeats. */
    void start(String preamble) {
        exchange.onGone(this::gone);
        synchronized (lock) {
            busy = true;
            scheduleHeartbeatLocked(heartbeatNanos);
        }
        send(preamble, null, false);
    }

    /** The queue refused this sink (the session is closing or over): the client gets the close at once. */
    void closeAfterStart(int code, String reason) {
        close(code, reason);
    }

    @Override
    public void write(List<String> frames, WriteCompletion done) {
        String chunk = framing.batch(frames);
        synchronized (lock) {
            if (finished) {
                // The limit was passed (or the response is gone) just before the queue took the batch.
                chunk = null;
            } else if (busy) {
                waiting = chunk;
                waitingDone = done;
                return;
            } else {
                busy = true;
            }
        }
        if (chunk == null) {
            done.notWritten();
        } else {
            send(chunk, done, false);
        }
    }

    @Override
    public void close(int code, String reason) {
        session.closing(code, reason);
        String chunk = framing.close(code, reason);
        synchronized (lock) {
            if (finished) {
                return; // gone or broken: that path ends the session
            }
            if (busy) {
                waiting = chunk;
                waitingIsClose = true;
                return;
            }
            busy = true;
            finished = true;
            cancelHeartbeatLocked();
        }
        send(chunk, null, true);
    }

    @Override
    public void abort() {
        synchronized (lock) {
            finished = true;
            cancelHeartbeatLocked();
        }
        exchange.abort(new java.util.concurrent.TimeoutException("the client did not take the close in time"));
        session.ended(session.closeCode(), session.closeReason());
    }

    private void send(String chunk, WriteCompletion done, boolean last) {
        int length = chunk.length();
        exchange.write(chunk, last, new HttpExchange.WriteCallback() {
            @Override
            public void succeeded() {
                if (last) {
                    session.ended(session.closeCode(), session.closeReason());
                } else {
                    written(length, done);
                }
            }

            @Override
            public void failed(Throwable cause) {
                broken(cause, done);
            }
        });
    }

    /** A write succeeded: count it, cut past the limit, then the write waiting, if any. */
    private void written(int length, WriteCompletion done) {
        String next;
        WriteCompletion nextDone;
        boolean nextIsClose;
        boolean cutNow = false;
        boolean stop;
        Throwable goneMeanwhile;
        synchronized (lock) {
            chars += length;
            lastWrite = System.nanoTime();
            goneMeanwhile = gone;
            if (maxChars > 0 && !finished && chars > maxChars) {
                cut = true;
                finished = true;
                cutNow = true;
                cancelHeartbeatLocked();
            }
            next = waiting;
            nextDone = waitingDone;
            nextIsClose = waitingIsClose;
            waiting = null;
            waitingDone = null;
            waitingIsClose = false;
            stop = goneMeanwhile != null || next == null || (finished && !nextIsClose);
            if (stop) {
                busy = false;
            } else if (nextIsClose) {
                finished = true;
                cancelHeartbeatLocked();
            }
        }
        if (cutNow) {
            // Before the batch completes, so that the queue hands the next one to no one: it waits for the next stream.
            session.detach(this);
        }
        if (done != null) {
            done.succeeded();
        }
        boolean wasReplaced;
        synchronized (lock) {
            wasReplaced = replaced;
        }
        if (goneMeanwhile != null) {
            // The client went away during the write: the session ends (through the queue if its batch was waiting).
            exchange.abort(goneMeanwhile);
            if (nextDone != null) {
                nextDone.failed(goneMeanwhile);
            } else if (!wasReplaced) {
                session.ended(1006, "stream closed by the client");
            }
        } else if (wasReplaced && (next == null || stop)) {
            if (nextDone != null) {
                nextDone.notWritten();
            }
            exchange.end();
        } else if (next != null && stop) {
            nextDone.notWritten(); // past the limit: the batch goes to the next stream
        } else if (next != null) {
            send(next, nextDone, nextIsClose);
        }
    }

    /** A write failed: the client is gone; the session ends (through the queue when one of its batches failed). */
    private void broken(Throwable cause, WriteCompletion done) {
        WriteCompletion other;
        boolean wasReplaced;
        synchronized (lock) {
            wasReplaced = replaced;
            finished = true;
            cancelHeartbeatLocked();
            other = waitingDone;
            waiting = null;
            waitingDone = null;
        }
        exchange.abort(cause);
        if (done != null) {
            done.failed(cause);
        } else if (other != null) {
            other.failed(cause);
        } else if (!wasReplaced) {
            session.failed(cause);
        }
    }

    /** The response failed while held: the client is gone, or the server stops. */
    private void gone(Throwable cause) {
        boolean idle;
        boolean quiet;
        synchronized (lock) {
            if (gone != null || (finished && !cut && !replaced)) {
                return; // closing or broken: that path ends the session
            }
            gone = cause;
            quiet = cut || replaced;
            finished = true;
            cancelHeartbeatLocked();
            idle = !busy;
        }
        if (quiet) {
            // read to its end (the client opens the next one), or replaced by the next one: the session lives on
            exchange.abort(cause);
        } else if (idle) {
            exchange.abort(cause);
            if (session.detach(this)) {
                session.ended(1006, "stream closed by the client");
            }
        }
        // else the write in flight completes and ends the session
    }

    /**
     * Another stream of the session was attached (the client opened a second one without the first
     * reaching its limit): this one writes nothing more and ends, and its end does not end the session.
     */
    void replaced() {
        boolean idle;
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            replaced = true;
            cancelHeartbeatLocked();
            idle = !busy;
        }
        if (idle) {
            exchange.end();
        }
    }

    private void heartbeat() {
        synchronized (lock) {
            heartbeat = null;
            if (finished) {
                return;
            }
            long silent = System.nanoTime() - lastWrite;
            if (busy || silent < heartbeatNanos) {
                scheduleHeartbeatLocked(Math.max(heartbeatNanos - silent, heartbeatNanos / 10));
                return;
            }
            busy = true;
            scheduleHeartbeatLocked(heartbeatNanos);
        }
        send(framing.heartbeat(), null, false);
    }

    private void scheduleHeartbeatLocked(long delayNanos) {
        try {
            heartbeat = timer.schedule(this::heartbeat, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The transport is stopping: the node closes the session.
        }
    }

    private void cancelHeartbeatLocked() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }
}
