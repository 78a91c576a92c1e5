package dev.realtime.server;

/** A request the server refuses: the HTTP status and a message saying what is wrong. */
final class HttpError extends RuntimeException {
    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status to answer with. */
    int status() {
        return status;
    }
}
