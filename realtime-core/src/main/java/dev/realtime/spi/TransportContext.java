package dev.realtime.spi;

import dev.realtime.Limits;
import dev.realtime.Realtime;

/** What a node offers its transports. Thread-safe; no method blocks. */
public interface TransportContext {
    /**
     * Registers a new connection that asked for {@code appKey} with protocol version {@code protocol}
     * (the raw query value, null when absent). The node sends {@code pusher:connection_established},
     * or an error and a close (4001, 4007, 4008, 4100) through the connection itself. The returned
     * session takes the connection's inbound frames; after a refused open it ignores them.
     */
    Session open(TransportConnection connection, String appKey, String protocol);

    /**
     * Reports an asynchronous failure of one connection that has nobody else to tell: a failed write,
     * an I/O error on the wire. It reaches {@code RealtimeListener.error} as a
     * {@link dev.realtime.ConnectionFailedException} naming the socket, with {@code cause} as its cause,
     * and the log. It does not close anything: the transport still reports the end of the wire through
     * {@link Session#closed}. Any thread; never blocks.
     */
    void connectionFailed(Session session, Throwable cause);

    /** The limits in force (message size, outbound queue length). */
    Limits limits();

    /** The activity timeout in seconds, as told to clients. */
    int activityTimeoutSeconds();

    /**
     * Seconds a pinged connection has to answer before the node closes it with 4201; a transport's
     * own idle timeout must be longer than activity timeout plus this, so the node decides first.
     */
    int pongTimeoutSeconds();

    /** The node these connections belong to (for auth endpoints and authorizers a transport serves). */
    Realtime realtime();
}
