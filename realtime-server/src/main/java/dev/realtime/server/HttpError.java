package dev.realtime.server;

/** A request the server refuses: the HTTP status, a message saying what is wrong, and whether to close the connection. */
final class HttpError extends RuntimeException {
    private final int status;
    private final boolean closeConnection;

    HttpError(int status, String message) {
        this(status, message, false);
    }

    HttpError(int status, String message, boolean closeConnection) {
        super(message, null, false, false);
        this.status = status;
        this.closeConnection = closeConnection;
    }

    /** The HTTP status to answer with. */
    int status() {
        return status;
    }

    /**
     * Whether the answer closes the connection ({@code Connection: close}): when the body was left unread,
     * so the connection cannot carry another request, or the caller is one to get rid of.
     */
    boolean closeConnection() {
        return closeConnection;
    }
}
