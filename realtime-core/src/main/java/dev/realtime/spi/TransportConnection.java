package dev.realtime.spi;

/**
 * One client connection as a transport holds it. {@link #send} is called from any thread,
 * concurrently, and must never block: it queues the frame (bounded) and returns.
 */
public interface TransportConnection {
    /**
     * Queues one text frame for the client. Returns false when the connection's outbound queue is
     * full; the node then treats the client as a slow consumer and closes it.
     */
    boolean send(String frame);

    /** Closes the connection with a close code and reason, after the frames already queued. Idempotent. */
    void close(int code, String reason);

    /** Whether the connection is still open. */
    boolean isOpen();

    /** Sends a transport-level ping (a WebSocket ping frame); false when the transport has none. */
    default boolean ping() {
        return false;
    }

    /** The peer's address, or null. */
    default String remoteAddress() {
        return null;
    }
}
