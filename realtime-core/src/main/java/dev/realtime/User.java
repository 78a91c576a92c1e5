package dev.realtime;

import java.util.Map;
import java.util.Objects;

/**
 * An authenticated user of the application, as returned by an {@link Authenticator}.
 *
 * @param id   the user's id, non-blank; the key for presence, {@code sendToUser} and sign-in
 * @param info public information about the user (sent to other presence members and on sign-in)
 */
public record User(String id, Map<String, Object> info) {

    public User {
        Objects.requireNonNull(id, "user id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("user id must not be blank");
        }
        info = info == null ? Map.of() : Map.copyOf(info);
    }

    /** A user with the given id and public info. */
    public static User of(String id, Map<String, Object> info) {
        return new User(id, info);
    }

    /** A user with the given id and no public info. */
    public static User of(String id) {
        return new User(id, Map.of());
    }
}
