package dev.realtime.server;

import dev.realtime.Realtime;
import dev.realtime.spi.Transport;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * The one place that knows the Jetty core WebSocket transport. Until
 * {@code realtime-transport-websocket} is available, mounting it fails with a clear message.
 */
final class WebSocketMount {
    private WebSocketMount() {
    }

    /** A new transport to register on {@code Realtime.builder().transport(…)}. */
    static Transport newTransport() {
        throw new UnsupportedOperationException("the WebSocket transport (realtime-transport-websocket) is not available yet");
    }

    /** The handler that upgrades {@code /app/{key}} for {@code realtime}, or a failure saying what to add. */
    static Handler handler(Realtime realtime, Server server) {
        throw new IllegalStateException("the WebSocket transport (realtime-transport-websocket) is not available yet");
    }
}
