package dev.realtime.websocket;

import dev.realtime.spi.OutboundSink;
import dev.realtime.spi.WriteCompletion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
final class JettyFrameSender implements OutboundSink {
    private static final ThreadLocal<Object[]> LAST_ENCODED = ThreadLocal.withInitial(() -> new Object[2]);
    private final CoreSession session;

    JettyFrameSender(CoreSession session) {
        this.session = session;
    }

    @Override
    public void write(List<String> frames, WriteCompletion done) {
        for (int i = 0, n = frames.size(); i < n; i++) {
            // Per-frame callbacks only report failures: the flush callback reports the batch's outcome.
            session.sendFrame(new Frame(OpCode.TEXT, true, encoded(frames.get(i))), Callback.NOOP, true);
        }
        session.flush(Callback.from(done::succeeded, done::failed));
    }

    /**
     * The UTF-8 bytes of a frame. A fan-out hands the same String to every subscriber's queue, and a
     * writer thread flushes them one after another, so a one-entry identity cache per thread encodes
     * each broadcast once instead of once per connection; each write gets its own view.
     */
    private static ByteBuffer encoded(String frame) {
        Object[] last = LAST_ENCODED.get();
        if (last[0] != frame) {
            last[1] = ByteBuffer.wrap(frame.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
            last[0] = frame;
        }
        return ((ByteBuffer) last[1]).duplicate();
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, CloseReasons.fit(reason), Callback.NOOP);
    }

    @Override
    public void abort() {
        session.abort();
    }

    /** Sends a WebSocket ping frame now (control frames may go between queued messages). */
    void ping() {
        session.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
    }
}
