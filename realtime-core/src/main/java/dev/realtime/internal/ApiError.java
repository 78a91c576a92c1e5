package dev.realtime.internal;

/** A Pusher HTTP API request refused: the HTTP status and a message saying what is wrong. */
public final class ApiError extends RuntimeException {
    private final int status;

    public ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }
}
