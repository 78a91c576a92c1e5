package dev.realtime.spi;

/**
 * The node's side of one connection. A transport calls these from its I/O threads; calls for one
 * connection must not overlap. None blocks.
 */
public interface Session {
    /** The Pusher socket id, or null when the open was refused. */
    String socketId();

    /** One inbound text frame. */
    void receive(String text);

    /** Activity other than a text frame (a WebSocket pong or ping), which keeps the connection alive. */
    void activity();

    /** The connection is gone (closed by either side, or failed); idempotent. */
    void closed(int code, String reason);
}
