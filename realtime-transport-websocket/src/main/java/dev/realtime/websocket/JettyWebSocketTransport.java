package dev.realtime.websocket;

import dev.realtime.spi.TransportConnection;
import dev.realtime.spi.TransportContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

/**
 * The WebSocket transport on Jetty 12. By default a connection is RFC 6455 framing written straight
 * on Jetty's endpoint (a broadcast is encoded once and each delivery is one write of shared bytes;
 * an idle connection holds no buffer); with {@link Builder#compression(boolean) compression} on, it
 * is Jetty's core WebSocket session, which negotiates permessage-deflate. Mount it with
 * {@link #createHandler(Server)}:
 * <pre>{@code
 * JettyWebSocketTransport ws = JettyWebSocketTransport.builder().allowedOrigins("https://app.example").build();
 * Realtime realtime = Realtime.builder().app(id, key, secret).transport(ws).build();
 * server.setHandler(new Handler.Sequence(ws.createHandler(server), otherHandlers));
 * }</pre>
 * Clients connect to {@code ws://host:port/app/{key}?protocol=7}.
 */
public final class JettyWebSocketTransport extends WebSocketTransportBase {
    /** Where clients connect: {@code /app/{key}}. */
    public static final String PATH_PREFIX = "/app/";
    /** The protocol name of {@link #createConnectionFactory()}'s factory on a connector. */
    public static final String UPGRADE_PROTOCOL = "realtime-ws-upgrade";

    /** Upgrades taken by {@link UpgradeSniffer} without Jetty's HTTP handling (for tests). */
    final LongAdder shortUpgrades = new LongAdder();

    private final boolean compression;
    private final Set<TransportConnection> connections = ConcurrentHashMap.newKeySet();

    private JettyWebSocketTransport(Builder b) {
        super(b, "realtime-ws-writer");
        this.compression = b.compression;
    }

    /** A transport with the defaults: every origin allowed, the node's message size limit. */
    public JettyWebSocketTransport() {
        this(builder());
    }

    /** Options: allowed origins, max message size, idle timeout, compression. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A Jetty handler that upgrades WebSocket requests to {@code /app/{key}} and returns false
     * (not handled) for every other request, for use in a {@code Handler.Sequence}.
     */
    public Handler createHandler(Server server) {
        return new JettyUpgradeHandler(this, WebSocketServerComponents.ensureWebSocketComponents(server));
    }

    /**
     * A connection factory to put first on a plain connector, in front of its HTTP/1.1 factory
     * ({@code connector.addFirstConnectionFactory(ws.createConnectionFactory())}), with the
     * {@link #createHandler handler} mounted as well. A connection whose first read is a whole, plain
     * WebSocket upgrade to {@code /app/{key}} — what the Pusher clients send — gets its 101 and its
     * WebSocket connection straight away, without Jetty's HTTP parser, request and handler chain: a
     * storm of reconnecting clients then costs the server about a quarter less CPU, most of it the JIT
     * compiling less. Every other connection goes on to HTTP/1.1 with the bytes read, and the handlers
     * answer it as they would without this factory. With {@link Builder#compression compression} on,
     * every connection goes on to HTTP/1.1 (Jetty's WebSocket session negotiates permessage-deflate).
     */
    public ConnectionFactory createConnectionFactory() {
        return UpgradeSniffer.factory(this);
    }

    /** Connections currently open on this transport. */
    public int connectionCount() {
        return connections.size();
    }

    boolean compression() {
        return compression;
    }

    JettyConnection newConnection(TransportContext context, String appKey, String protocol, String remoteAddress) {
        return new JettyConnection(this, context, connections, appKey, protocol, remoteAddress, maxMessageBytes());
    }

    /** A connection framed by us on Jetty's endpoint (the default: no permessage-deflate). */
    WireConnection newWireConnection(org.eclipse.jetty.io.EndPoint endPoint, org.eclipse.jetty.server.Connector connector,
                                     TransportContext context, String appKey, String protocol, String remoteAddress) {
        return new WireConnection(endPoint, connector.getExecutor(), connector.getByteBufferPool(), this, context,
                connections, appKey, protocol, remoteAddress);
    }

    /** Builds a {@link JettyWebSocketTransport}. */
    public static final class Builder extends WebSocketTransportBase.Options<Builder> {
        private boolean compression;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Whether to accept permessage-deflate when a client offers it; default false, because each
         * frame is then compressed once per connection, which multiplies the cost of a fan-out.
         */
        public Builder compression(boolean enabled) {
            this.compression = enabled;
            return this;
        }

        /** The transport; give it to {@code RealtimeServer.on(realtime).websocket(…)} or mount {@link #createHandler}. */
        public JettyWebSocketTransport build() {
            return new JettyWebSocketTransport(this);
        }
    }
}
