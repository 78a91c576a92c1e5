package dev.realtime;

/**
 * Finds the application's user behind an HTTP request (bearer token, cookie, header). Runs on the
 * HTTP server's request thread.
 */
@FunctionalInterface
public interface Authenticator {
    /** The user making {@code request}, or null when the request carries no valid identity. */
    User authenticate(AuthRequest request);

    /** The default: every request is anonymous, so private and presence channels answer 401. */
    Authenticator ANONYMOUS = request -> null;
}
