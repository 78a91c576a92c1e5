package dev.realtime.spi;

/**
 * The node's side of one connection. A transport calls these from any thread, for one connection
 * from several threads if it likes (an HTTP transport's POSTs do): the node serialises the calls of
 * one session itself, in the order they take its lock. None blocks on I/O.
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
