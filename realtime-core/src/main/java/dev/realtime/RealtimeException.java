package dev.realtime;

/** A refused call, with the Pusher error code that describes it (see {@link ErrorCodes}). */
public class RealtimeException extends RuntimeException {
    private final int code;

    public RealtimeException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The Pusher error code. */
    public int code() {
        return code;
    }
}
