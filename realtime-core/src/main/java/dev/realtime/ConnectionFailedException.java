package dev.realtime;

/**
 * What {@link RealtimeListener#error} gets when a connection failed asynchronously (a write that
 * failed, an I/O error reported by its transport): the connection it happened to, and the
 * transport's exception as the cause. The connection's close follows through
 * {@link RealtimeListener#connectionClosed} as usual.
 */
public class ConnectionFailedException extends RuntimeException {
    private final transient ConnectionInfo connection;

    public ConnectionFailedException(ConnectionInfo connection, Throwable cause) {
        super("connection " + connection.socketId() + " failed: " + cause, cause);
        this.connection = connection;
    }

    /** The connection that failed. */
    public ConnectionInfo connection() {
        return connection;
    }

    /** Its Pusher socket id. */
    public String socketId() {
        return connection.socketId();
    }
}
