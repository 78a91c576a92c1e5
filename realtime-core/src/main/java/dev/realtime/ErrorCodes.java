package dev.realtime;

/** The Pusher error and close codes this server uses (PROTOCOL.md §1). */
public final class ErrorCodes {
    /** Unknown app key: error, then close. */
    public static final int APP_NOT_FOUND = 4001;
    /** Unsupported protocol version: error, then close. */
    public static final int UNSUPPORTED_PROTOCOL = 4007;
    /** No protocol version given: error, then close. */
    public static final int NO_PROTOCOL = 4008;
    /** Unauthorized: failed sign-in (error and close), terminated user, client event not allowed (error only). */
    public static final int UNAUTHORIZED = 4009;
    /** Over capacity: connection limits, slow consumer (close; the client reconnects after a pause). */
    public static final int OVER_CAPACITY = 4100;
    /** A frame the server cannot use: invalid JSON, missing or mistyped fields, unknown event, too large (error only). */
    public static final int INVALID_MESSAGE = 4200;
    /** No pong in time (close; the client reconnects at once). */
    public static final int PONG_TIMEOUT = 4201;
    /** Client events over the rate limit (error only, never a close). */
    public static final int CLIENT_EVENT_RATE_LIMIT = 4301;

    private ErrorCodes() {
    }
}
