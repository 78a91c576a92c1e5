package dev.realtime.http;

import dev.realtime.spi.OutboundSink;
import dev.realtime.spi.WriteCompletion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A held poll as a one-shot sink ({@code OutboundQueue.attachOnce}): answered with the first batch the
 * queue hands it, or the close, or after the poll timeout with a heartbeat. Exactly one of these wins
 * (a compare-and-set); a batch that loses (the timeout answered first) goes back to the queue with
 * {@link WriteCompletion#notWritten()} for the next poll, so nothing is lost or repeated.
 */
final class PollSink implements OutboundSink {
    private static final int WAITING = 0;
    private static final int ANSWERING = 1;
    private static final int DONE = 2;

    private final HttpSession session;
    private final HttpExchange exchange;
    private final Framing framing;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile ScheduledFuture<?> timeoutTask;

    PollSink(HttpSession session, HttpExchange exchange, Framing framing, Duration timeout, ScheduledExecutorService timer) {
        this.session = session;
        this.exchange = exchange;
        this.framing = framing;
        this.timeout = timeout;
        this.timer = timer;
    }

    /** Starts the poll timeout and watches the response. */
    void start() {
        exchange.onGone(this::gone);
        try {
            timeoutTask = timer.schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The transport is stopping: the node closes the session, which answers this poll.
        }
    }

    /** The queue is closed: this poll gets the close at once. */
    void answerClosed(int code, String reason) {
        if (state.compareAndSet(WAITING, ANSWERING)) {
            cancelTimeout();
            answer(framing.close(code, reason), null, true);
        }
    }

    @Override
    public void write(List<String> frames, WriteCompletion done) {
        if (!state.compareAndSet(WAITING, ANSWERING)) {
            done.notWritten(); // the timeout or the client's leaving came first
            return;
        }
        cancelTimeout();
        answer(framing.batch(frames), done, false);
    }

    @Override
    public void close(int code, String reason) {
        session.closing(code, reason);
        answerClosed(code, reason);
        // Lost to the timeout: the next poll finds the queue closed and gets the close.
    }

    @Override
    public void abort() {
        state.set(DONE);
        cancelTimeout();
        exchange.abort(new java.util.concurrent.TimeoutException("the client did not take the close in time"));
        session.ended(session.closeCode(), session.closeReason());
    }

    private void timedOut() {
        if (state.compareAndSet(WAITING, ANSWERING)) {
            session.detach(this); // false when the queue just took a batch for this poll: that write finds it answered
            answer(framing.heartbeat(), null, false);
        }
    }

    private void gone(Throwable cause) {
        if (state.compareAndSet(WAITING, DONE)) {
            cancelTimeout();
            session.detach(this);
            exchange.abort(cause);
        }
    }

    private void answer(String body, WriteCompletion done, boolean close) {
        exchange.write(body, true, new HttpExchange.WriteCallback() {
            @Override
            public void succeeded() {
                state.set(DONE);
                if (done != null) {
                    done.succeeded();
                }
                if (close) {
                    session.ended(session.closeCode(), session.closeReason());
                }
            }

            @Override
            public void failed(Throwable cause) {
                state.set(DONE);
                if (done != null) {
                    done.failed(cause); // frames lost with the client: the session ends
                } else if (close) {
                    session.ended(session.closeCode(), session.closeReason());
                }
                // a heartbeat that did not arrive: the client polls again or the session expires
            }
        });
    }

    private void cancelTimeout() {
        ScheduledFuture<?> t = timeoutTask;
        if (t != null) {
            t.cancel(false);
        }
    }
}
