package dev.realtime.websocket;

import dev.realtime.spi.AsyncLoop;
import dev.realtime.spi.OutboundSink;
import dev.realtime.spi.WriteCompletion;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Writes a batch through {@link RemoteEndpoint.Async}: one async send per frame, the next started
 * when the previous completes (Jakarta allows one async send in flight per session). Jakarta's
 * {@code flushBatch()} and its ping and close calls block, so those never run on the caller's
 * thread: pings and closes go to {@code control}, a pool no one else waits on.
 */
final class JakartaFrameSender implements OutboundSink {
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
    public void write(List<String> frames, WriteCompletion done) {
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
     * Sends the frames one after another, one async send per step. A container may complete a send
     * inline, inside {@code sendText}: {@link AsyncLoop} then carries on instead of recursing.
     */
    private final class Chain extends AsyncLoop implements SendHandler {
        private final List<String> frames;
        private final WriteCompletion done;
        private int index;
        private boolean failed;

        Chain(List<String> frames, WriteCompletion done) {
            this.frames = frames;
            this.done = done;
        }

        @Override
        protected boolean step() {
            if (failed) {
                return false;
            }
            if (index == frames.size()) {
                done.succeeded();
                return false;
            }
            try {
                remote.sendText(frames.get(index), this);
            } catch (RuntimeException e) {
                done.failed(e);
                return false;
            }
            return true;
        }

        @Override
        public void onResult(SendResult result) {
            if (result.isOK()) {
                index++;
            } else {
                failed = true;
                done.failed(result.getException());
            }
            stepCompleted();
        }
    }
}
