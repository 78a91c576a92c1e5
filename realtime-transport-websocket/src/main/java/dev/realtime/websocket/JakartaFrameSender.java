package dev.realtime.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a batch through {@link RemoteEndpoint.Async}: one async send per frame, the next started
 * when the previous completes (Jakarta allows one async send in flight per session). Jakarta's
 * {@code flushBatch()} and its ping and close calls block, so those never run on the caller's
 * thread: pings and closes go to {@code control}, a pool no one else waits on.
 */
final class JakartaFrameSender implements OutboundQueue.Sink {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final Executor control;

    JakartaFrameSender(Session session, Executor control) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.control = control;
    }

    @Override
    public void write(List<String> frames, OutboundQueue.WriteCompletion done) {
        new Chain(frames, done).run();
    }

    @Override
    public void close(int code, String reason) {
        CloseReason close = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), CloseReasons.fit(reason));
        control.execute(() -> {
            try {
                session.close(close);
            } catch (IOException | RuntimeException e) {
                // The connection is already broken; the container reports the close through onClose.
            }
        });
    }

    /**
     * Jakarta has no abort, and the close already asked for is what a second close would do: on a peer
     * that stopped reading, the container gives up after its own send timeout.
     */
    @Override
    public void abort() {
    }

    void ping() {
        control.execute(() -> {
            try {
                remote.sendPing(EMPTY.duplicate());
            } catch (IOException | RuntimeException e) {
                // A failed ping is a dead connection: the node's pong timeout closes it (4201).
            }
        });
    }

    /**
     * Sends the frames one after another. A container may complete a send inline, inside
     * {@code sendText}: the loop then carries on instead of recursing, keeping the stack flat.
     */
    private final class Chain implements SendHandler {
        private static final int RUNNING = 0;
        private static final int COMPLETED_INLINE = 1;
        private static final int RETURNED = 2;

        private final List<String> frames;
        private final OutboundQueue.WriteCompletion done;
        private final AtomicInteger state = new AtomicInteger();
        private int index;

        Chain(List<String> frames, OutboundQueue.WriteCompletion done) {
            this.frames = frames;
            this.done = done;
        }

        void run() {
            while (true) {
                if (index == frames.size()) {
                    done.succeeded();
                    return;
                }
                state.set(RUNNING);
                try {
                    remote.sendText(frames.get(index), this);
                } catch (RuntimeException e) {
                    done.failed(e);
                    return;
                }
                if (state.compareAndSet(RUNNING, RETURNED)) {
                    return; // completes later, on the container's thread
                }
                if (index < 0) {
                    return; // failed inline
                }
            }
        }

        @Override
        public void onResult(SendResult result) {
            if (!result.isOK()) {
                index = -1;
                done.failed(result.getException());
                state.compareAndSet(RUNNING, COMPLETED_INLINE);
                return;
            }
            index++;
            if (!state.compareAndSet(RUNNING, COMPLETED_INLINE)) {
                run();
            }
        }
    }
}
