package dev.realtime.server;

import dev.realtime.Realtime;
import dev.realtime.websocket.JettyWebSocketTransport;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * The one place that knows the Jetty core WebSocket transport: it starts the transport on the node
 * ({@link Realtime#addTransport}) and gives the Jetty handler that upgrades {@code /app/{key}}.
 */
final class WebSocketMount {
    private final Realtime realtime;
    private final JettyWebSocketTransport transport;
    private final Handler handler;

    private WebSocketMount(Realtime realtime, JettyWebSocketTransport transport, Handler handler) {
        this.realtime = realtime;
        this.transport = transport;
        this.handler = handler;
    }

    /** Starts {@code transport} (a new default one when null) on {@code realtime} and makes its handler for {@code server}. */
    static WebSocketMount mount(Realtime realtime, JettyWebSocketTransport transport, Server server) {
        JettyWebSocketTransport ws = transport != null ? transport : new JettyWebSocketTransport();
        Handler handler = ws.createHandler(server);
        realtime.addTransport(ws);
        return new WebSocketMount(realtime, ws, handler);
    }

    /** The handler to put first in the server's handler sequence. */
    Handler handler() {
        return handler;
    }

    /** The connection factory to put first on the plain connector: upgrades without Jetty's HTTP handling. */
    ConnectionFactory connectionFactory() {
        return transport.createConnectionFactory();
    }

    /** Refuses new upgrades and takes the transport off the node; the open connections are closed by Jetty as it stops. */
    void stop() {
        realtime.removeTransport(transport);
    }
}
