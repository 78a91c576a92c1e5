package dev.realtime.server;

import dev.realtime.Realtime;
import dev.realtime.spi.Transport;
import dev.realtime.spi.TransportContext;
import dev.realtime.websocket.JettyWebSocketTransport;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * The one place that knows the Jetty core WebSocket transport. Transports made by
 * {@link RealtimeServer#websocketTransport()} remember, when their node starts them, which node that
 * is, so that {@code RealtimeServer.on(realtime).websocket()} finds them from the node alone. The
 * map holds nodes weakly: a node that is no longer used is forgotten.
 */
final class WebSocketMount {
    private static final Map<Realtime, JettyWebSocketTransport> STARTED = new WeakHashMap<>();

    private WebSocketMount() {
    }

    /** A transport wrapping {@code transport} that the server can find from its node. */
    static Transport register(JettyWebSocketTransport transport) {
        return new Findable(Objects.requireNonNull(transport, "transport"));
    }

    /** The handler that upgrades {@code /app/{key}} for {@code realtime}, or a failure saying what to add. */
    static Handler handler(Realtime realtime, Server server) {
        JettyWebSocketTransport transport;
        synchronized (STARTED) {
            transport = STARTED.get(realtime);
        }
        if (transport == null) {
            throw new IllegalStateException("websocket() needs the node to have the server's WebSocket transport: build it with "
                    + "Realtime.builder()…transport(RealtimeServer.websocketTransport())…build(), "
                    + "or pass your own JettyWebSocketTransport with websocket(transport)");
        }
        return transport.createHandler(server);
    }

    /** The handler for a transport the application registered on its node itself. */
    static Handler handler(JettyWebSocketTransport transport, Server server) {
        return transport.createHandler(server);
    }

    /** Delegates to the Jetty transport and records the node that started it. */
    private static final class Findable implements Transport {
        private final JettyWebSocketTransport delegate;

        Findable(JettyWebSocketTransport delegate) {
            this.delegate = delegate;
        }

        @Override
        public void start(TransportContext context) {
            delegate.start(context);
            synchronized (STARTED) {
                STARTED.put(context.realtime(), delegate);
            }
        }

        @Override
        public void stop() {
            delegate.stop();
        }

        @Override
        public String toString() {
            return "JettyWebSocketTransport (RealtimeServer)";
        }
    }
}
