package dev.realtime.websocket;

import dev.realtime.spi.OutboundQueue;
import dev.realtime.spi.Session;
import dev.realtime.spi.TransportConnection;
import dev.realtime.spi.TransportContext;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection on Jetty's core API: feeds whole text messages to the node's
 * {@link Session} and writes the node's frames through an {@link OutboundQueue}. Jetty calls the
 * {@link FrameHandler} methods one at a time per connection, and only after {@code demand()}.
 */
final class JettyConnection implements FrameHandler, TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(JettyConnection.class);
    private static final AtomicLong IDS = new AtomicLong();

    private final TransportContext context;
    private final Set<TransportConnection> registry;
    private final WebSocketTransportBase transport;
    private final String appKey;
    private final String protocol;
    private final String remoteAddress;
    private final long maxMessageBytes;
    private final String id = "jetty-" + IDS.incrementAndGet();
    private volatile CoreSession coreSession;
    private volatile JettyFrameSender sender;
    private volatile OutboundQueue queue;
    private volatile Session session;
    /** A text message split over several frames, being put back together. */
    private Utf8StringBuilder partial;
    /** The bytes of {@link #partial} so far. */
    private long partialBytes;

    JettyConnection(WebSocketTransportBase transport, TransportContext context, Set<TransportConnection> registry,
                    String appKey, String protocol, String remoteAddress, long maxMessageBytes) {
        this.transport = transport;
        this.context = context;
        this.registry = registry;
        this.appKey = appKey;
        this.protocol = protocol;
        this.remoteAddress = remoteAddress;
        this.maxMessageBytes = maxMessageBytes;
    }

    // ---- FrameHandler: inbound, on Jetty's threads ----

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.coreSession = coreSession;
        this.sender = new JettyFrameSender(coreSession);
        this.queue = transport.newQueue(context, sender, this::report);
        registry.add(this);
        // The node sends connection_established (or an error and a close) through this connection.
        this.session = context.open(this, appKey, protocol);
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        switch (frame.getOpCode()) {
            case OpCode.TEXT, OpCode.CONTINUATION -> onText(frame, callback);
            case OpCode.PING -> {
                activity();
                // Answer like Jetty's own handlers do, then ask for the next frame once the pong is out.
                Frame pong = new Frame(OpCode.PONG, true, frame.getPayload());
                coreSession.sendFrame(pong, Callback.from(callback, coreSession::demand), false);
            }
            case OpCode.PONG -> {
                activity();
                callback.succeeded();
                coreSession.demand();
            }
            case OpCode.CLOSE -> callback.succeeded(); // Jetty answers the close and then calls onClosed
            // 1003 (unsupported data): the Pusher protocol has text frames only.
            default -> callback.failed(new org.eclipse.jetty.websocket.core.exception.CloseException(
                    CloseStatus.BAD_DATA, "binary frames are not part of the Pusher protocol"));
        }
    }

    private void onText(Frame frame, Callback callback) {
        if (frame.isFin() && partial == null && frame.getOpCode() == OpCode.TEXT) {
            // The common case: a whole message in one frame (its size in bytes was checked by Jetty's parser).
            Utf8StringBuilder utf8 = new Utf8StringBuilder(frame.getPayloadLength());
            utf8.append(frame.getPayload());
            String text = complete(utf8, callback);
            if (text != null) {
                callback.succeeded();
                receive(text);
                coreSession.demand();
            }
            return;
        }
        if (partial == null) {
            partial = new Utf8StringBuilder();
            partialBytes = 0;
        }
        // Bytes, not characters: a message of 3-byte characters is three times its length on the wire.
        partialBytes += frame.getPayloadLength();
        if (partialBytes > maxMessageBytes) {
            partial = null;
            // Jetty turns this into a 1009 close, the same as for one oversized frame.
            callback.failed(new MessageTooLargeException("message larger than " + maxMessageBytes + " bytes"));
            return;
        }
        if (frame.hasPayload()) {
            partial.append(frame.getPayload());
        }
        if (partial.hasCodingErrors()) {
            partial = null;
            callback.failed(new BadPayloadException("text message is not valid UTF-8"));
            return;
        }
        if (!frame.isFin()) {
            callback.succeeded();
            coreSession.demand();
            return;
        }
        Utf8StringBuilder whole = partial;
        partial = null;
        String text = complete(whole, callback);
        if (text != null) {
            callback.succeeded();
            receive(text);
            coreSession.demand();
        }
    }

    /** The message's text, or null after failing {@code callback} with 1007 when it is not valid UTF-8 (RFC 6455 §8.1). */
    private static String complete(Utf8StringBuilder utf8, Callback callback) {
        try {
            return utf8.build(); // throws on any invalid or incomplete sequence
        } catch (java.nio.charset.CharacterCodingException e) {
            callback.failed(new BadPayloadException("text message is not valid UTF-8"));
            return null;
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        if (WebSocketTransportBase.isWireFailure(cause)) {
            report(cause);
        }
        callback.succeeded(); // onClosed follows with the status derived from the error
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        registry.remove(this);
        OutboundQueue q = queue;
        if (q != null) {
            q.terminated();
        }
        Session s = session;
        if (s != null) {
            // When the node closed the connection it has already forgotten it with its own code; this is a no-op then.
            s.closed(closeStatus.getCode(), closeStatus.getReason());
        }
        callback.succeeded();
    }

    /** A write broke the wire; Jetty reports the close through {@link #onClosed}, which tells the node. */
    /** A failed write or a broken wire: the node reports it to its listeners (the close follows through onClosed). */
    private void report(Throwable cause) {
        Session s = session;
        if (s != null) {
            context.connectionFailed(s, cause);
        } else {
            LOG.debug("{} failed before it was open", this, cause);
        }
    }

    // The node serialises a session's calls itself: no lock here.
    private void receive(String text) {
        session.receive(text);
    }

    private void activity() {
        session.activity();
    }

    // ---- TransportConnection: outbound, from any thread ----

    @Override
    public boolean send(String frame) {
        return queue.offer(frame);
    }

    @Override
    public void close(int code, String reason) {
        queue.close(code, reason);
    }

    @Override
    public boolean isOpen() {
        OutboundQueue q = queue;
        CoreSession cs = coreSession;
        return q != null && q.isOpen() && cs.isOutputOpen();
    }

    @Override
    public boolean ping() {
        if (!isOpen()) {
            return false;
        }
        sender.ping();
        return true;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String toString() {
        Session s = session;
        return id + (s == null || s.socketId() == null ? "" : "/" + s.socketId());
    }
}
