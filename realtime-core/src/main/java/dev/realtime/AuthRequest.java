package dev.realtime;

/** A read-only view of the HTTP request an {@link Authenticator} inspects. */
public interface AuthRequest {
    /** The first value of header {@code name} (case-insensitive), or null. */
    String header(String name);

    /** The value of cookie {@code name}, or null. */
    String cookie(String name);

    /** The first value of form or query parameter {@code name}, or null. */
    String parameter(String name);

    /** The peer's address, for logging; may be null. */
    default String remoteAddress() {
        return null;
    }

    /** The bearer token of the {@code Authorization} header, or null. */
    default String bearerToken() {
        String value = header("Authorization");
        if (value == null || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
