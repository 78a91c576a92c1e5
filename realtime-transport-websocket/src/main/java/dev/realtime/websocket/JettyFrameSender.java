package dev.realtime.websocket;

import java.util.List;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * The only place that touches Jetty's batched send API ({@code CoreSession.sendFrame(frame,
 * callback, batch)} + {@code flush}), which Jetty documents as internal: if it changes, only this
 * class changes. A batch becomes N whole text messages aggregated by Jetty's flusher and written
 * with one flush; nothing here blocks.
 */
final class JettyFrameSender implements OutboundQueue.Sink {
    private final CoreSession session;

    JettyFrameSender(CoreSession session) {
        this.session = session;
    }

    @Override
    public void write(List<String> frames, OutboundQueue.WriteCompletion done) {
        for (int i = 0, n = frames.size(); i < n; i++) {
            // Per-frame callbacks only report failures: the flush callback reports the batch's outcome.
            session.sendFrame(new Frame(OpCode.TEXT, true, frames.get(i)), Callback.NOOP, true);
        }
        session.flush(Callback.from(done::succeeded, done::failed));
    }

    @Override
    public void close(int code, String reason, boolean abandon) {
        if (abandon) {
            // The peer stopped reading: a close frame would wait behind its backlog forever.
            session.abort();
        } else {
            session.close(code, CloseReasons.fit(reason), Callback.NOOP);
        }
    }

    /** Sends a WebSocket ping frame now (control frames may go between queued messages). */
    void ping() {
        session.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
    }
}
