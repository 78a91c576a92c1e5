package dev.realtime.websocket;

import dev.realtime.spi.OutboundQueue;
import dev.realtime.spi.Session;
import dev.realtime.spi.TransportConnection;
import dev.realtime.spi.TransportContext;
import jakarta.websocket.CloseReason;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection through a Jakarta WebSocket container: the node's frames go through an
 * {@link OutboundQueue} to async sends; inbound messages go to the node's {@link Session}.
 */
final class JakartaConnection implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(JakartaConnection.class);

    private final jakarta.websocket.Session wsSession;
    private final JakartaFrameSender sender;
    private final OutboundQueue queue;
    private final String remoteAddress;
    private final int maxMessageBytes;
    private final TransportContext context;
    private volatile Session session;

    JakartaConnection(jakarta.websocket.Session wsSession, WebSocketTransportBase transport, TransportContext context,
                      Executor control, String remoteAddress) {
        this.wsSession = wsSession;
        this.sender = new JakartaFrameSender(wsSession, control);
        this.context = context;
        this.queue = transport.newQueue(context, sender, this::report);
        this.maxMessageBytes = transport.maxMessageBytes();
        this.remoteAddress = remoteAddress;
    }

    /** Hands the connection to the node, which answers with connection_established or an error and a close. */
    void open(TransportContext context, String appKey, String protocol) {
        session = context.open(this, appKey, protocol);
    }

    void receive(String text) {
        if (CloseReasons.utf8Exceeds(text, maxMessageBytes)) {
            // Containers cap text messages in characters (Tomcat's buffer is a CharBuffer): count the bytes here.
            close(CloseReason.CloseCodes.TOO_BIG.getCode(), "message larger than " + maxMessageBytes + " bytes");
            return;
        }
        session.receive(text); // the node serialises a session's calls itself
    }

    void activity() {
        session.activity();
    }

    /** A send broke the wire; the container follows with onClose, which tells the node. */
    /** A failed write or a broken wire: the node reports it to its listeners (the close follows through onClose). */
    void report(Throwable cause) {
        Session s = session;
        if (s != null) {
            context.connectionFailed(s, cause);
        } else {
            LOG.debug("{} failed before it was open", this, cause);
        }
    }

    void closed(int code, String reason) {
        queue.terminated();
        Session s = session;
        if (s != null) {
            s.closed(code, reason); // a no-op when the node closed it (it already forgot it with its own code)
        }
    }

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
        return queue.isOpen() && wsSession.isOpen();
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
        return "jakarta-" + wsSession.getId() + (s == null || s.socketId() == null ? "" : "/" + s.socketId());
    }
}
