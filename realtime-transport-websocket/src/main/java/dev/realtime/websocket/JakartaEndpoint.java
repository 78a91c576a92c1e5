package dev.realtime.websocket;

import dev.realtime.spi.TransportContext;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jakarta endpoint instance of one connection, created only by {@link JakartaWebSocketTransport}'s
 * configurator. Public because containers (Jetty) refuse non-public endpoint classes; not for direct use.
 */
public final class JakartaEndpoint extends Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(JakartaEndpoint.class);
    /** Where Tomcat and Jetty put the peer's address (not part of the Jakarta API). */
    private static final String[] REMOTE_ADDRESS_KEYS = {
        "jakarta.websocket.endpoint.remoteAddress", "javax.websocket.endpoint.remoteAddress"};

    private final JakartaWebSocketTransport transport;
    private JakartaConnection connection;

    JakartaEndpoint(JakartaWebSocketTransport transport) {
        this.transport = transport;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        TransportContext context = transport.context();
        if (context == null) {
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "realtime transport not started"));
            } catch (java.io.IOException e) {
                LOG.debug("closing {} failed", session.getId(), e);
            }
            return;
        }
        int max = transport.maxMessageBytes();
        session.setMaxTextMessageBufferSize(max);
        session.setMaxBinaryMessageBufferSize(max);
        long idle = transport.idleTimeout().toMillis();
        session.setMaxIdleTimeout(idle);
        // Bounds a write to a peer that stopped reading; the queue's limit usually closes it (4100) long before.
        session.getAsyncRemote().setSendTimeout(idle);
        connection = new JakartaConnection(session, transport, context, transport.control(), remoteAddress(session));
        JakartaConnection c = connection;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) c::receive);
        session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> c.activity());
        // Containers drop binary messages nobody handles; say why instead (1003, as the Jetty core adapter does).
        session.addMessageHandler(java.nio.ByteBuffer.class, (MessageHandler.Whole<java.nio.ByteBuffer>) binary ->
                c.close(CloseReason.CloseCodes.CANNOT_ACCEPT.getCode(), "binary frames are not part of the Pusher protocol"));
        transport.opened(c);
        c.open(context, session.getPathParameters().get("key"), first(session.getRequestParameterMap().get("protocol")));
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        JakartaConnection c = connection;
        if (c != null) {
            transport.closed(c);
            c.closed(closeReason.getCloseCode().getCode(), closeReason.getReasonPhrase());
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        // Containers follow an error with onClose, which tells the node of the close; a broken wire is reported too.
        JakartaConnection c = connection;
        if (c != null && WebSocketTransportBase.isWireFailure(error)) {
            c.report(error);
        } else {
            LOG.debug("websocket {} failed", session.getId(), error);
        }
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String remoteAddress(Session session) {
        for (String key : REMOTE_ADDRESS_KEYS) {
            Object a = session.getUserProperties().get(key);
            if (a instanceof InetSocketAddress isa) {
                return isa.getAddress() != null ? isa.getAddress().getHostAddress() : isa.getHostString();
            }
        }
        return null;
    }
}
