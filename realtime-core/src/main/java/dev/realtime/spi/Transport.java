package dev.realtime.spi;

/**
 * Brings connections in over some wire (WebSocket, SSE, long-polling, memory). A transport moves
 * frames; it never interprets them: every inbound text goes to {@link Session#receive(String)}.
 */
public interface Transport {
    /** Called once by the node at build time; from then on the transport may open connections. */
    void start(TransportContext context);

    /** Stops accepting connections; existing ones are closed by the node. */
    void stop();
}
